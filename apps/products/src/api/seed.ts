import type { CreateProductRequest } from '@polystore/contracts';

/** Deterministic pseudo-random numbers, so a seed of N products is the same N every time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = ['Acme', 'Northwind', 'Lumo', 'Vertex', 'Orbit', 'Kestrel', 'Tandem', 'Halcyon', 'Pioneer', 'Juniper', 'Aurora', 'Granite'];
const CATEGORIES: Record<string, string[]> = {
  shoes: ['running shoe', 'trail shoe', 'sneaker', 'hiking boot', 'sandal'],
  outdoor: ['tent', 'sleeping bag', 'backpack', 'headlamp', 'water bottle'],
  home: ['desk lamp', 'coffee grinder', 'kettle', 'throw blanket', 'storage box'],
  electronics: ['wireless headphones', 'bluetooth speaker', 'power bank', 'usb-c charger', 'smartwatch'],
  kitchen: ['chef knife', 'cast iron pan', 'cutting board', 'espresso cup', 'mixing bowl'],
  fitness: ['yoga mat', 'kettlebell', 'jump rope', 'foam roller', 'resistance band'],
};
const ADJECTIVES = ['lightweight', 'waterproof', 'compact', 'classic', 'premium', 'recycled', 'ultralight', 'heavy-duty', 'foldable', 'ergonomic'];
const COLORS = ['black', 'white', 'red', 'blue', 'green', 'grey', 'orange', 'navy'];

/** The i-th product of a seed run: realistic names, brands, categories, prices and stock. */
export function seedProduct(i: number, prefix = 'SEED'): CreateProductRequest {
  const rand = mulberry32(i + 1);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const category = pick(Object.keys(CATEGORIES));
  const kind = pick(CATEGORIES[category]!);
  const brand = pick(BRANDS);
  const adjective = pick(ADJECTIVES);
  const color = pick(COLORS);
  return {
    sku: `${prefix}-${String(i).padStart(7, '0')}`,
    name: `${brand} ${adjective} ${kind}`,
    description: `A ${adjective} ${kind} in ${color} from ${brand}, made for everyday ${category}.`,
    brand,
    categories: rand() < 0.2 ? [category, 'sale'] : [category],
    priceCents: Math.round((5 + rand() ** 2 * 495) * 100 - 1),
    currency: 'EUR',
    attributes: { color },
    stockOnHand: rand() < 0.1 ? 0 : Math.floor(rand() * 200),
  };
}
