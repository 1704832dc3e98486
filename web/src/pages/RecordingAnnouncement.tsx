import { useState } from 'react';
import { api, ApiError, type Campaign, type CampaignAudio } from '../api';
import { useCan } from '../session';
import { Field, Problems, useAction, useLoad } from '../ui';
import { ApiAudioPlayer } from '../widgets';

const FINAL = ['completed', 'stopped'];

/**
 * A campaign's recording announcement ("this call may be recorded"): what is uploaded, played in
 * the page, replaced by another WAV or removed. The carrier plays it to the callee before the agent
 * is connected when the campaign records (docs/recordings.md).
 */
export function RecordingAnnouncement({ campaign }: { campaign: Campaign }) {
  const can = useCan();
  const base = `/v1/campaigns/${campaign.id}/recording-announcement`;
  const current = useLoad(
    () =>
      api<CampaignAudio>('GET', `${base}/metadata`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [base],
  );
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [run, problems, busy] = useAction();
  const writable = can('campaigns:write') && !FINAL.includes(campaign.status);
  const announcement = current.data;
  const upload = () => {
    if (!file) return;
    const body = new FormData();
    body.append('file', file);
    void run(() => api('PUT', base, body)).then((ok) => {
      if (!ok) return;
      setFile(null);
      setInputKey((k) => k + 1);
      current.reload();
    });
  };
  const remove = () =>
    window.confirm('Remove the recording announcement? Callees will no longer hear it.') &&
    void run(() => api('DELETE', base)).then((ok) => ok && current.reload());
  return (
    <section className="card" aria-labelledby="announcement-title">
      <h2 id="announcement-title">Recording announcement</h2>
      <p className="muted">
        {campaign.recording_mode === 'none'
          ? 'Played to the callee before the agent is connected once the campaign records calls.'
          : 'Played to the callee (and heard by the agent) before they are connected, and kept in the recording.'}
      </p>
      <Problems problems={current.error ? [current.error] : problems} />
      {announcement === null && <p data-announcement="none">No announcement.</p>}
      {announcement && (
        <>
          <p data-announcement="present">
            {announcement.file_name}, {(announcement.duration_ms / 1000).toFixed(1)} s (version{' '}
            {announcement.version})
          </p>
          <div className="actions">
            <ApiAudioPlayer
              key={announcement.version}
              url={announcement.audio_url}
              label="Recording announcement"
              playText="Play announcement"
            />
            {writable && (
              <button type="button" className="danger" disabled={busy} onClick={remove}>
                Remove announcement
              </button>
            )}
          </div>
        </>
      )}
      {writable && announcement !== undefined && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            upload();
          }}
        >
          <Field label="Announcement file" hint="A mono WAV (16-bit PCM, µ-law or A-law), 0.2 s to 2 minutes">
            <input
              key={inputKey}
              type="file"
              accept=".wav,audio/wav,audio/x-wav"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <button type="submit" disabled={busy || !file}>
            {announcement ? 'Replace announcement' : 'Upload announcement'}
          </button>
        </form>
      )}
    </section>
  );
}
