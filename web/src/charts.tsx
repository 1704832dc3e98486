import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
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
  useEffect(() => {
    const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    Chart.defaults.font.size = Math.round(rootSize * 0.85);
    Chart.defaults.color = '#3d4a5a';
    const chart = new Chart(canvas.current!, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
