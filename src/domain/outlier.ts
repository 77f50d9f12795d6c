/**
 * Outlier flags by the modified z-score of Iglewicz and Hoaglin (1993):
 *
 *   M = 0.6745 · (x − median) / MAD,   MAD = median(|xᵢ − median|)
 *
 * computed against a value's own history (earlier periods). Median and MAD are not pulled by the
 * outliers they look for, unlike mean and standard deviation. 0.6745 makes MAD comparable to a
 * standard deviation for normal data, and |M| > 3.5 is the authors' recommended cut-off.
 * When more than half the history is identical MAD is 0; then the mean absolute deviation
 * around the median is used instead, scaled by 1.253314 (≈ √(π/2), its ratio to the standard deviation):
 * M = (x − median) / (1.253314 · MeanAD).
 */

/** Fewer earlier values than this give no meaningful spread. */
export const MIN_HISTORY = 4;
export const DEFAULT_OUTLIER_THRESHOLD = 3.5;

const MAD_SCALE = 0.6745;
const MEAN_AD_SCALE = 1.253314;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The modified z-score of value against history, or null when there is no signal: fewer than
 * MIN_HISTORY points, or a perfectly constant history that value also equals. A value that departs
 * from a perfectly constant history scores ±Infinity: any change is infinitely far from no spread.
 */
export function modifiedZScore(value: number, history: readonly number[]): number | null {
  if (history.length < MIN_HISTORY) return null;
  const centre = median(history);
  const deviations = history.map((h) => Math.abs(h - centre));
  const mad = median(deviations);
  const diff = value - centre;
  if (mad > 0) return (MAD_SCALE * diff) / mad;
  const meanAd = deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
  if (meanAd > 0) return diff / (MEAN_AD_SCALE * meanAd);
  if (diff === 0) return null;
  return diff > 0 ? Infinity : -Infinity;
}

export function isOutlier(score: number | null, threshold = DEFAULT_OUTLIER_THRESHOLD): boolean {
  return score !== null && Math.abs(score) > threshold;
}
