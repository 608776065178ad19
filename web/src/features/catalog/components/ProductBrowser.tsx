import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { EmptyState } from '@/components/ui/EmptyState';
import { Button } from '@/components/ui/Button';
import type { ProductSearchParams } from '@/lib/query-keys';
import type { Product } from '../api/get-product';
import { parsePriceRange, priceOption, primeProducts, SORTS, useSearchProducts, type FacetName, type Facets } from '../api/search-products';
import { ProductCard, ProductCardSkeleton } from './ProductCard';
import { SearchBox } from './SearchBox';

const FACETS: { name: FacetName; label: string }[] = [
  { name: 'category', label: 'Category' },
  { name: 'brand', label: 'Brand' },
  { name: 'gender', label: 'Gender' },
  { name: 'colour', label: 'Colour' },
  { name: 'size', label: 'Size' },
];

export interface ProductBrowserProps {
  params: ProductSearchParams;
  onParamsChange: (next: ProductSearchParams) => void;
  onOpenProduct: (productId: string) => void;
  /** Marks to show under a card (likes, secret marks); composed by the page. */
  renderCardExtra?: (product: Product) => ReactNode;
}

export function ProductBrowser({ params, onParamsChange, onOpenProduct, renderCardExtra }: ProductBrowserProps) {
  const qc = useQueryClient();
  const query = useSearchProducts(params);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items ?? []) ?? [], [query.data]);
  const first = query.data?.pages[0];
  const facets: Facets = first?.facets ?? {};
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (query.data) primeProducts(qc, query.data.pages[query.data.pages.length - 1]?.items ?? []);
  }, [qc, query.data]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: '600px' });
    io.observe(node);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const set = (patch: Partial<ProductSearchParams>) => {
    const next: ProductSearchParams = { ...params, ...patch };
    for (const k of Object.keys(next) as (keyof ProductSearchParams)[]) if (!next[k]) delete next[k];
    onParamsChange(next);
  };
  const activeFilters = FACETS.filter((f) => params[f.name]);
  const priceValue = params.min_price || params.max_price ? `${params.min_price ?? ''}-${params.max_price ?? ''}` : '';
  const priceOptions = (facets.price ?? []).map(priceOption);

  return (
    <section className="browser" aria-label="Shop">
      <div className="browser-bar">
        <SearchBox key={params.q ?? ''} value={params.q ?? ''} onSearch={(q) => set({ q })} />
        <label className="sort">
          <span className="sr-only">Sort by</span>
          <select value={params.sort ?? 'relevance'} onChange={(e) => set({ sort: e.target.value === 'relevance' ? '' : e.target.value })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="facets" role="group" aria-label="Filters">
        {FACETS.map((f) => {
          const values = facets[f.name] ?? [];
          if (values.length === 0 && !params[f.name]) return null;
          return (
            <label key={f.name} className={`facet${params[f.name] ? ' facet-on' : ''}`}>
              <span className="sr-only">{f.label}</span>
              <select value={params[f.name] ?? ''} onChange={(e) => set({ [f.name]: e.target.value })}>
                <option value="">{f.label}: all</option>
                {params[f.name] && !values.some((v) => v.value === params[f.name]) ? <option value={params[f.name]}>{params[f.name]}</option> : null}
                {values.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.value} ({v.count})
                  </option>
                ))}
              </select>
            </label>
          );
        })}
        {(facets.price?.length ?? 0) > 0 || priceValue ? (
          <label className={`facet${priceValue ? ' facet-on' : ''}`}>
            <span className="sr-only">Price</span>
            <select
              value={priceValue}
              onChange={(e) => {
                const r = parsePriceRange(e.target.value);
                set({ min_price: r.min ?? '', max_price: r.max ?? '' });
              }}
            >
              <option value="">Price: any</option>
              {priceValue && !priceOptions.some((v) => v.value === priceValue) ? <option value={priceValue}>{priceValue}</option> : null}
              {priceOptions.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label} ({v.count})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {activeFilters.length > 0 || priceValue || params.q ? (
          <Button variant="ghost" size="sm" onClick={() => onParamsChange(params.sort ? { sort: params.sort } : {})}>
            Clear all
          </Button>
        ) : null}
      </div>
      {typeof first?.total === 'number' ? (
        <p className="muted result-count" aria-live="polite">
          {first.total.toLocaleString()} {first.total === 1 ? 'product' : 'products'}
        </p>
      ) : null}

      {query.isPending ? (
        <div className="product-grid" role="status" aria-label="Loading products">
          {Array.from({ length: 8 }, (_, i) => (
            <ProductCardSkeleton key={i} />
          ))}
        </div>
      ) : query.isError ? (
        <EmptyState icon="⚠️" title="Could not load products" action={<Button onClick={() => void query.refetch()}>Try again</Button>}>
          {(query.error as Error).message}
        </EmptyState>
      ) : items.length === 0 ? (
        <EmptyState icon="🔍" title="Nothing matches">
          Try another word or clear a filter.
        </EmptyState>
      ) : (
        <>
          <div className="product-grid">
            {items.map((p) => (
              <ProductCard key={p.id} product={p} onOpen={onOpenProduct}>
                {renderCardExtra?.(p)}
              </ProductCard>
            ))}
            {isFetchingNextPage ? Array.from({ length: 4 }, (_, i) => <ProductCardSkeleton key={`more-${i}`} />) : null}
          </div>
          <div ref={sentinel} className="sentinel" />
          {hasNextPage && !isFetchingNextPage ? (
            <div className="center">
              <Button variant="secondary" onClick={() => void fetchNextPage()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
