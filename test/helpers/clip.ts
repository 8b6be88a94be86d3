import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A silent test-pattern video written to `file` with ffmpeg's lavfi source (H.264, yuv420p, as a phone would send). */
export async function testClip(file: string, o: { seconds: number; size: string; rate: number }): Promise<string> {
  await promisify(execFile)('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=duration=${o.seconds}:size=${o.size}:rate=${o.rate}`,
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}
