/** Whether a change touching `changed` items affects a view showing `shown`: an empty list means it cannot say, so yes. */
export function touches(changed: readonly number[], shown: readonly number[]): boolean {
  return changed.length === 0 || changed.some((id) => shown.includes(id));
}
