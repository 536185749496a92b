/** The signed-in admin client, shared with every page. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminClient } from '../api/client';

export const AdminClientContext = createContext<AdminClient | null>(null);

export function useAdminClient(): AdminClient {
  const client = useContext(AdminClientContext);
  if (!client) throw new Error('useAdminClient outside a signed-in session');
  return client;
}
