import { EmptyState } from '../components/states';
import { Link } from '../components/link';

export function NotFoundPage() {
  return (
    <div class="page">
      <div class="card">
        <EmptyState icon="alert" title="There's no page here" action={<Link to="/" class="button button-small">Go to the overview</Link>}>
          The address may be mistyped, or the page was moved.
        </EmptyState>
      </div>
    </div>
  );
}
