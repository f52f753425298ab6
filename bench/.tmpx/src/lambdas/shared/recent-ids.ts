/**
 * Ids handled lately in this Lambda container (failure records, SNS
 * messages), so an event AWS delivers twice is acted on once. Bounded: the
 * oldest id is forgotten first. A duplicate that reaches another container is
 * not caught here; the functions keep their effects safe to repeat anyway.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    while (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
}
