import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * A test-pattern video written to `file` with ffmpeg's lavfi sources (H.264, yuv420p, as a phone
 * would send): silent, or with a sine tone (`toneHz`, AAC); `keyframeEvery` frames sets the GOP.
 */
export async function testClip(
  file: string,
  o: { seconds: number; size: string; rate: number; toneHz?: number; keyframeEvery?: number },
): Promise<string> {
  const tone = o.toneHz ? ['-f', 'lavfi', '-i', `sine=frequency=${o.toneHz}:duration=${o.seconds}`] : [];
  await promisify(execFile)('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=duration=${o.seconds}:size=${o.size}:rate=${o.rate}`,
    ...tone,
    ...(o.keyframeEvery ? ['-g', String(o.keyframeEvery)] : []),
    '-pix_fmt',
    'yuv420p',
    ...(o.toneHz ? ['-c:a', 'aac', '-shortest'] : []),
    file,
  ]);
  return file;
}
