import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the console draws, so the bundle carries no unused chart types.
Chart.register(
  DoughnutController,
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);
// Numbers on a supervisor's screen should be where they are, not on their way there.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/**
 * A Chart.js chart. The canvas is an image to assistive technology, so `label` must say what it
 * shows; the numbers themselves are also given in text beside each chart.
 */
export function ChartCanvas({
  config,
  label,
  height = '14rem',
}: {
  config: ChartConfiguration;
  label: string;
  height?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    Chart.defaults.font.size = Math.round(rootSize * 0.85);
    Chart.defaults.color = '#3d4a5a';
    // A live chart gets new numbers every second or so: update it in place rather than redraw it.
    const current = chart.current;
    if (current && (current.config as { type?: string }).type === config.type) {
      current.data = config.data;
      if (config.options) current.options = config.options;
      current.update('none');
      return;
    }
    current?.destroy();
    chart.current = new Chart(canvas.current!, config);
  }, [config]);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );
  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
