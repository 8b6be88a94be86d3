import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ffmpeg/ffprobe from the system (Debian's `ffmpeg` package; `npm start` and `npm test` install it). */
export async function probeDurationSeconds(file: string): Promise<number | null> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]);
  const seconds = Number(stdout.trim());
  return Number.isFinite(seconds) ? seconds : null;
}

/** Decodes key frames only (fast) and writes up to `max` JPEGs, 640 px wide. */
export async function extractKeyFrames(file: string, outDir: string, max = 12): Promise<string[]> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await run('ffmpeg', [
    '-v', 'error', '-y', '-skip_frame', 'nokey', '-i', file, '-fps_mode', 'vfr', '-frames:v', String(max),
    '-vf', 'scale=640:-2', '-q:v', '4', path.join(outDir, 'frame_%02d.jpg'),
  ]);
  return (await readdir(outDir)).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(outDir, f));
}

/** 16 kHz mono WAV of the sound track, for speech-to-text. */
export async function extractAudio(file: string, out: string): Promise<string> {
  await run('ffmpeg', ['-v', 'error', '-y', '-i', file, '-vn', '-ac', '1', '-ar', '16000', out]);
  return out;
}

export async function hasAudio(file: string): Promise<boolean> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=index', '-of', 'csv=p=0', file]);
  return stdout.trim().length > 0;
}
