/** orders's example resource: replace it with the service's own model. */
export interface Item {
  id: string;
  label: string;
  createdAt: Date;
}

/** A new item: its label with inner runs of white space made one space. */
export function newItem(id: string, label: string, now: Date): Item {
  return { id, label: label.trim().replace(/\s+/g, ' '), createdAt: now };
}
