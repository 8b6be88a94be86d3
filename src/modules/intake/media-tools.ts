import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config.js';

const exec = promisify(execFile);

/** Bounds on every ffmpeg/ffprobe run: one crafted upload must not eat the machine. */
export type MediaLimits = { timeoutSeconds: number; maxPixels: number; threads: number };

export const mediaLimits = (c: Pick<Config, 'MEDIA_TIMEOUT_SECONDS' | 'VIDEO_MAX_PIXELS' | 'MEDIA_THREADS'>): MediaLimits => ({
  timeoutSeconds: c.MEDIA_TIMEOUT_SECONDS,
  maxPixels: c.VIDEO_MAX_PIXELS,
  threads: c.MEDIA_THREADS,
});

const DEFAULT_LIMITS: MediaLimits = { timeoutSeconds: 60, maxPixels: 3840 * 2160, threads: 1 };

/** A run past its time is killed outright (SIGKILL: a stuck decoder may ignore SIGTERM). */
const run = (cmd: string, args: string[], limits: MediaLimits) =>
  exec(cmd, args, { timeout: limits.timeoutSeconds * 1000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 });

/** ffmpeg/ffprobe from the system (Debian's `ffmpeg` package; `npm start` and `npm test` install it). */
export async function probeDurationSeconds(file: string, limits = DEFAULT_LIMITS): Promise<number | null> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], limits);
  const seconds = Number(stdout.trim());
  return Number.isFinite(seconds) ? seconds : null;
}

/**
 * Refuses a video whose frames are larger than the limit before anything decodes it: ffprobe
 * reads only the stream headers, while decoding one 8192x8192 frame costs hundreds of MB.
 */
export async function assertFrameSize(file: string, limits = DEFAULT_LIMITS): Promise<void> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file],
    limits,
  );
  for (const line of stdout.trim().split('\n').filter(Boolean)) {
    const [w, h] = line.split(',').map(Number);
    if (!w || !h || w * h > limits.maxPixels)
      throw new Error(`video frames of ${w}x${h} are larger than allowed (${limits.maxPixels} pixels)`);
  }
}

/** Decodes key frames only (fast) and writes up to `max` JPEGs, 640 px wide. */
export async function extractKeyFrames(file: string, outDir: string, max = 12, limits = DEFAULT_LIMITS): Promise<string[]> {
  await assertFrameSize(file, limits);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const threads = String(limits.threads);
  await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-threads',
      threads,
      '-filter_threads',
      threads,
      '-skip_frame',
      'nokey',
      '-i',
      file,
      '-fps_mode',
      'vfr',
      '-frames:v',
      String(max),
      '-vf',
      'scale=640:-2',
      '-q:v',
      '4',
      path.join(outDir, 'frame_%02d.jpg'),
    ],
    limits,
  );
  return (await readdir(outDir))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(outDir, f));
}

/** 16 kHz mono WAV of the sound track, for speech-to-text. */
export async function extractAudio(file: string, out: string, limits = DEFAULT_LIMITS): Promise<string> {
  await run(
    'ffmpeg',
    ['-v', 'error', '-y', '-threads', String(limits.threads), '-i', file, '-vn', '-ac', '1', '-ar', '16000', out],
    limits,
  );
  return out;
}

export async function hasAudio(file: string, limits = DEFAULT_LIMITS): Promise<boolean> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=index', '-of', 'csv=p=0', file],
    limits,
  );
  return stdout.trim().length > 0;
}
