// A forecast thread: simulates the candidates it is handed, one at a time (see forecast-threads.ts).
import { parentPort } from 'node:worker_threads';
import { forecastCandidate } from '../../engine/forecast.js';
import { sendError } from '../../imports/import-threads.js';
import type { CandidateAnswer, CandidateJob } from './forecast-threads.js';

parentPort!.on('message', ({ id, job }: { id: number; job: CandidateJob }) => {
  let answer: CandidateAnswer;
  try {
    answer = { id, forecast: forecastCandidate(job.model, job.candidate, job.limits, job.samples) };
  } catch (error) {
    answer = { id, error: sendError(error) };
  }
  parentPort!.postMessage(answer);
});
