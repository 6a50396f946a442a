import { newItem } from './item.js';

describe('orders items', () => {
  it('keep their label with white space made single', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    expect(newItem('id-1', '  a   first\titem ', now)).toEqual({ id: 'id-1', label: 'a first item', createdAt: now });
  });
});
