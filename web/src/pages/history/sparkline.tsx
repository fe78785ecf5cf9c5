interface SparklineProps {
  values: number[];
  /** Describes the chart for screen readers. */
  label: string;
  width?: number;
  height?: number;
}

/** A small line chart drawn by hand in SVG. */
export function Sparkline({ values, label, width = 160, height = 36 }: SparklineProps) {
  if (values.length === 0) return null;
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((value, index) => {
    const x = values.length > 1 ? index * step : width / 2;
    const y = height - 2 - ((value - min) / span) * (height - 4);
    return [x, y] as const;
  });
  const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = `0,${height} ${line} ${width},${height}`;
  const last = points[points.length - 1];
  return (
    <svg
      className="chart chart--sparkline"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      <polygon points={area} className="chart__area" />
      <polyline points={line} className="chart__line" fill="none" />
      {last ? <circle cx={last[0]} cy={last[1]} r={2.5} className="chart__dot" /> : null}
    </svg>
  );
}
