/** Small SVG charts drawn from data: no chart library, readable by screen readers as text. */

export type Bar = { label: string; value: number; color?: string };

const PALETTE = ['#0b4f9c', '#116329', '#8a5a00', '#6f42c1', '#b42318', '#57606a'];

/** Horizontal bars with their numbers written beside them; the figure's label says it all in words. */
export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const labelW = 150;
  const width = 460;
  const height = Math.max(row, bars.length * row);
  const summary = bars.length ? bars.map((b) => `${b.label}: ${b.value}${unit}`).join(', ') : 'nothing yet';
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${summary}`} preserveAspectRatio="xMinYMin meet">
        {bars.length === 0 ? (
          <text x={0} y={18} className="chart-empty">
            Nothing yet
          </text>
        ) : (
          bars.map((b, i) => {
            const w = Math.round(((width - labelW - 50) * b.value) / max);
            return (
              <g key={b.label} transform={`translate(0 ${i * row})`}>
                <text x={labelW - 8} y={18} textAnchor="end" className="chart-label">
                  {b.label}
                </text>
                <rect x={labelW} y={5} width={Math.max(2, w)} height={row - 10} rx={3} fill={b.color ?? PALETTE[i % PALETTE.length]} />
                <text x={labelW + Math.max(2, w) + 6} y={18} className="chart-value">
                  {b.value}
                  {unit}
                </text>
              </g>
            );
          })
        )}
      </svg>
    </figure>
  );
}

/** The lead funnel: one bar per stage, split by source, with a legend. */
export function Funnel({
  stages,
  sources,
}: {
  stages: { stage: string; total: number; bySource: { key: string; n: number }[] }[];
  sources: string[];
}) {
  const max = Math.max(1, ...stages.map((s) => s.total));
  const row = 34;
  const labelW = 110;
  const width = 520;
  const color = (src: string) => PALETTE[sources.indexOf(src) % PALETTE.length]!;
  const summary = stages.map((s) => `${s.stage} ${s.total}`).join(', ');
  return (
    <figure className="chart">
      <figcaption>Lead funnel (leads that ever reached each stage)</figcaption>
      <svg viewBox={`0 0 ${width} ${stages.length * row}`} role="img" aria-label={`Lead funnel: ${summary}`}>
        {stages.map((s, i) => {
          const full = ((width - labelW - 50) * s.total) / max;
          let x = labelW + (width - labelW - 50 - full) / 2;
          return (
            <g key={s.stage} transform={`translate(0 ${i * row})`}>
              <text x={labelW - 8} y={21} textAnchor="end" className="chart-label">
                {s.stage}
              </text>
              {s.bySource.map((src) => {
                const w = s.total ? (full * src.n) / s.total : 0;
                const rect = <rect key={src.key} x={x} y={6} width={Math.max(1, w)} height={row - 12} fill={color(src.key)} />;
                x += w;
                return rect;
              })}
              <text x={width - 44} y={21} className="chart-value">
                {s.total}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="legend" aria-label="Sources">
        {sources.map((s) => (
          <li key={s}>
            <span className="swatch" style={{ background: color(s) }} aria-hidden="true" /> {s}
          </li>
        ))}
      </ul>
    </figure>
  );
}
