/**
 * The published GCN's stopping rule: after the first `window` epochs, stop as soon as the
 * validation loss is above the mean of the `window` epochs before it. It waits out noise
 * (one bad epoch against an average, not against the best) and needs no stored weights.
 */
export class EarlyStopping {
  private readonly window: number;
  private readonly losses: number[] = [];

  /** `window` 0 never stops. */
  constructor(window: number) {
    this.window = window;
  }

  /** Records this epoch's validation loss; true when training should stop now. */
  shouldStop(validationLoss: number): boolean {
    this.losses.push(validationLoss);
    const epoch = this.losses.length;
    if (this.window <= 0 || epoch <= this.window + 1) return false;

    const previous = this.losses.slice(epoch - 1 - this.window, epoch - 1);
    const mean = previous.reduce((sum, loss) => sum + loss, 0) / previous.length;
    return validationLoss > mean;
  }
}
