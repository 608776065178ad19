import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Product } from '../api/get-product';
import { ProductCard } from './ProductCard';

const product: Product = {
  id: 'p1',
  sku: 'SKU-1',
  title: 'Blue cotton kurta',
  brand: 'Fabindia',
  category: 'Kurtas',
  price: { amount: '999.00', currency: 'INR' },
  original_price: { amount: '1999.00', currency: 'INR' },
  images: ['/files/p1.jpg'],
  description: 'Soft cotton.',
  rating: 4.34,
  reviews: 120,
  metadata: { gender: 'men', sizes: [{ size: 'M', stock: 3 }] },
  created_at: '2026-11-23T10:00:00Z',
  updated_at: '2026-11-23T10:00:00Z',
};

describe('ProductCard', () => {
  it('shows brand, title, price, discount and rating', () => {
    render(<ProductCard product={product} />);
    expect(screen.getByText('Fabindia')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Blue cotton kurta' })).toBeTruthy();
    expect(screen.getByText('50% off')).toBeTruthy();
    expect(screen.getByText(/999/, { selector: '.price-now' })).toBeTruthy();
    expect(screen.getByText(/1,999/, { selector: '.price-was' })).toBeTruthy();
    expect(screen.getByLabelText('Rated 4.3 out of 5')).toBeTruthy();
  });

  it('opens the product when clicked', async () => {
    const onOpen = vi.fn();
    render(<ProductCard product={product} onOpen={onOpen} />);
    await userEvent.click(screen.getByRole('button', { name: 'Fabindia Blue cotton kurta' }));
    expect(onOpen).toHaveBeenCalledWith('p1');
  });

  it('copes with a product without images, discount or rating', () => {
    const plain: Product = { ...product, images: [], original_price: product.price, rating: null };
    const { container } = render(<ProductCard product={plain} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.queryByText(/% off/)).toBeNull();
    expect(screen.queryByLabelText(/Rated/)).toBeNull();
  });

  it('refuses image URLs the CSP would block or that are scripts', () => {
    const evil: Product = { ...product, images: ['javascript:alert(1)'] };
    const { container } = render(<ProductCard product={evil} />);
    expect(container.querySelector('img')).toBeNull();
  });

  it('renders the marks the page adds under the card', () => {
    render(
      <ProductCard product={product}>
        <span>♥ 2</span>
      </ProductCard>,
    );
    expect(screen.getByText('♥ 2')).toBeTruthy();
  });
});
