// A forecast thread: simulates the samples it is handed, one at a time (see forecast-threads.ts).
import { parentPort } from 'node:worker_threads';
import { forecastSampleStats } from '../../engine/forecast.js';
import { sendError } from '../../threads.js';
import type { SampleAnswer, SampleJob } from './forecast-threads.js';

parentPort!.on('message', ({ id, job }: { id: number; job: SampleJob }) => {
  let answer: SampleAnswer;
  try {
    answer = { id, stats: forecastSampleStats(job.model, job.candidate, job.limits, job.sample) };
  } catch (error) {
    answer = { id, error: sendError(error) };
  }
  parentPort!.postMessage(answer);
});
