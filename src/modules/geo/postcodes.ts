import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors.js';
import path from 'node:path';

export type Point = { latitude: number; longitude: number };
export type Geocoded = Point & { postcode: string; outcode: string };

// Outward code: area letters, district digit(s), optional letter. Inward: digit + two letters.
const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;
const INWARD = /^\d[A-Z]{2}$/;

/**
 * Normalises a UK postcode ("sw11 1aa" -> "SW11 1AA") or bare outward code ("sw11" -> "SW11").
 * Returns null when the text is not shaped like one.
 */
export function parsePostcode(input: string): { postcode: string; outcode: string } | null {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  if (OUTWARD.test(compact)) return { postcode: compact, outcode: compact };
  if (compact.length < 5) return null;
  const outcode = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (!OUTWARD.test(outcode) || !INWARD.test(inward)) return null;
  return { postcode: `${outcode} ${inward}`, outcode };
}

const EARTH_RADIUS_MILES = 3958.7613;

/** Great-circle distance in miles. */
export function haversineMiles(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

const CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/uk-outcodes.csv');
let table: Map<string, Point> | undefined;

/** Outward-code centroids from the vendored ONS/OS-derived table (loaded once). */
export function outcodeTable(): Map<string, Point> {
  if (table) return table;
  const rows = readFileSync(CSV, 'utf8').trim().split('\n').slice(1);
  table = new Map(
    rows.map((line) => {
      const [code, lat, lon] = line.split(',');
      return [code!.trim().toUpperCase(), { latitude: Number(lat), longitude: Number(lon) }];
    }),
  );
  return table;
}

/** Geocodes by outward code; an unparseable or unknown postcode is a 422, never a guess. */
export function geocode(input: string, field = 'postcode'): Geocoded {
  const parsed = parsePostcode(input);
  if (!parsed) throw new AppError('INVALID_POSTCODE', `"${input}" is not a UK postcode`, { field, value: input });
  const point = outcodeTable().get(parsed.outcode);
  if (!point) {
    throw new AppError('UNKNOWN_POSTCODE', `Unknown postcode area ${parsed.outcode}`, { field, outcode: parsed.outcode });
  }
  return { ...parsed, ...point };
}
