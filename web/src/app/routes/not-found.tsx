import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/EmptyState';

export default function NotFound() {
  return (
    <main className="page narrow">
      <EmptyState icon="🧭" title="This page does not exist" action={<Link className="btn btn-primary" to="/">Home</Link>} />
    </main>
  );
}
