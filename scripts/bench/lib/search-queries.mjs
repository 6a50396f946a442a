// The searches bench:search sends (and search-shapes profiles): a repeatable mix of text queries,
// filters and sorts; every one is a first page, so with facets.
export function benchSearches() {
  const words = [
    'running shoe',
    'tent',
    'lamp',
    'headphones',
    'kettle',
    'yoga mat',
    'backpack',
    'waterproof',
    'ultralight',
    'chef knife',
    'charger',
    'boot',
  ];
  const cats = ['shoes', 'outdoor', 'home', 'electronics', 'kitchen', 'fitness'];
  const list = [];
  for (let i = 0; i < 50; i++) {
    const q = { q: words[i % words.length], limit: 20 };
    if (i % 3 === 0) q.category = cats[i % cats.length];
    if (i % 4 === 0) Object.assign(q, { minPrice: 1000, maxPrice: 20000 });
    if (i % 5 === 0) q.inStock = true;
    if (i % 6 === 0) q.sort = 'price_asc';
    list.push(q);
  }
  return list;
}
