export function Skeleton({ width, height = 16, radius, className }: { width?: number | string; height?: number | string; radius?: number; className?: string }) {
  return <span className={`skeleton ${className ?? ''}`} style={{ width, height, borderRadius: radius }} aria-hidden="true" />;
}

export function SkeletonList({ rows = 4, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton-list" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div className="skeleton-row" key={i}>
          <Skeleton width={36} height={36} radius={18} />
          <div className="skeleton-lines">
            <Skeleton width="60%" />
            <Skeleton width="35%" height={12} />
          </div>
        </div>
      ))}
    </div>
  );
}
