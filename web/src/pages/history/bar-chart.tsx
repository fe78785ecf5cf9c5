interface Bar {
  label: string;
  value: number;
  /** Part of the value to draw in the "bad" colour (e.g. failed tasks). */
  bad?: number;
}

interface BarChartProps {
  bars: Bar[];
  label: string;
  width?: number;
  height?: number;
}

/** A small bar chart drawn by hand in SVG; each bar has a tooltip. */
export function BarChart({ bars, label, width = 160, height = 36 }: BarChartProps) {
  if (bars.length === 0) return null;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const gap = bars.length > 30 ? 1 : 2;
  const barWidth = Math.max(1, (width - gap * (bars.length - 1)) / bars.length);
  return (
    <svg
      className="chart chart--bars"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      {bars.map((bar, index) => {
        const x = index * (barWidth + gap);
        const h = (bar.value / max) * (height - 2);
        const badH = ((bar.bad ?? 0) / max) * (height - 2);
        return (
          <g key={`${bar.label}-${index}`}>
            <title>{`${bar.label}: ${bar.value}`}</title>
            <rect x={x} y={height - h} width={barWidth} height={h} className="chart__bar" rx={1} />
            {badH > 0 ? (
              <rect
                x={x}
                y={height - badH}
                width={barWidth}
                height={badH}
                className="chart__bar chart__bar--bad"
                rx={1}
              />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
