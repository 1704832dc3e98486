import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

// The recording settings read at start-up (docs/recordings.md): each refused with a message that
// names it, never a default taken silently in place of a bad value.

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('recording settings', () => {
  test('the retention worker polls every 60 s unless RECORDING_RETENTION_POLL_SECONDS says otherwise', () => {
    assert.equal(loadConfig({}).recordingRetentionPollSeconds, 60);
    assert.equal(loadConfig({ RECORDING_RETENTION_POLL_SECONDS: '5' }).recordingRetentionPollSeconds, 5);
    assert.equal(
      loadConfig({ RECORDING_RETENTION_POLL_SECONDS: '86400' }).recordingRetentionPollSeconds,
      86_400,
    );
  });

  test('a retention poll interval that is not a whole number of seconds from 1 to 86400 is refused', () => {
    for (const bad of ['0', '-5', '86401']) {
      const problems = problemsOf({ RECORDING_RETENTION_POLL_SECONDS: bad });
      assert.equal(problems.length, 1, `${bad}: ${problems.join('; ')}`);
      assert.match(problems[0]!, /^RECORDING_RETENTION_POLL_SECONDS: /, bad);
    }
    assert.deepEqual(problemsOf({ RECORDING_RETENTION_POLL_SECONDS: '1.5' }), [
      'RECORDING_RETENTION_POLL_SECONDS must be a whole number, got "1.5"',
    ]);
    assert.deepEqual(problemsOf({ RECORDING_RETENTION_POLL_SECONDS: 'hourly' }), [
      'RECORDING_RETENTION_POLL_SECONDS must be a whole number, got "hourly"',
    ]);
  });
});
