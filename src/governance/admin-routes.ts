/** The governance part of the admin API: keys, teams, credentials, budgets, usage and status. */
import type { AdminRequest, AdminRoute } from '../admin/router.js';
import { validate } from '../server/http-io.js';
import type { GovernanceService } from './governance-service.js';
import { budgetCreateSchema, budgetScopeSchema, budgetUpdateSchema, credentialCreateSchema, keyCreateSchema, keyUpdateSchema, teamCreateSchema, teamUpdateSchema, usageQuerySchema } from './records.js';

function queryObject(request: AdminRequest): Record<string, string> {
  return Object.fromEntries(request.query.entries());
}

export function governanceAdminRoutes(service: GovernanceService, status: () => unknown): AdminRoute[] {
  return [
    { method: 'GET', path: '/admin/governance/status', handle: () => ({ body: status() }) },

    { method: 'POST', path: '/admin/keys', handle: async (request) => ({ status: 201, body: await service.createKey(validate(keyCreateSchema, request.body ?? {})) }) },
    {
      method: 'GET',
      path: '/admin/keys',
      handle: async (request) => ({ body: { data: await service.listKeys({ team: request.query.get('team') ?? undefined, includeRevoked: request.query.get('include_revoked') === 'true' }) } }),
    },
    { method: 'GET', path: '/admin/keys/:id', handle: async (request) => ({ body: await service.getKey(request.params.id!) }) },
    { method: 'PATCH', path: '/admin/keys/:id', handle: async (request) => ({ body: await service.updateKey(request.params.id!, validate(keyUpdateSchema, request.body ?? {})) }) },
    { method: 'DELETE', path: '/admin/keys/:id', handle: async (request) => ({ body: await service.revokeKey(request.params.id!) }) },
    { method: 'POST', path: '/admin/keys/:id/revoke', handle: async (request) => ({ body: await service.revokeKey(request.params.id!) }) },

    { method: 'POST', path: '/admin/teams', handle: async (request) => ({ status: 201, body: await service.createTeam(validate(teamCreateSchema, request.body ?? {})) }) },
    { method: 'GET', path: '/admin/teams', handle: async () => ({ body: { data: await service.listTeams() } }) },
    { method: 'GET', path: '/admin/teams/:id', handle: async (request) => ({ body: await service.getTeam(request.params.id!) }) },
    { method: 'PATCH', path: '/admin/teams/:id', handle: async (request) => ({ body: await service.updateTeam(request.params.id!, validate(teamUpdateSchema, request.body ?? {})) }) },
    { method: 'DELETE', path: '/admin/teams/:id', handle: async (request) => ({ body: await service.deleteTeam(request.params.id!) }) },

    { method: 'POST', path: '/admin/credentials', handle: async (request) => ({ status: 201, body: await service.putCredential(validate(credentialCreateSchema, request.body ?? {})) }) },
    {
      method: 'PUT',
      path: '/admin/credentials/:name',
      handle: async (request) => ({ body: await service.putCredential(validate(credentialCreateSchema, { ...(request.body as object), name: request.params.name })) }),
    },
    { method: 'GET', path: '/admin/credentials', handle: async () => ({ body: { data: await service.listCredentials() } }) },
    { method: 'DELETE', path: '/admin/credentials/:name', handle: async (request) => ({ body: await service.deleteCredential(request.params.name!) }) },

    { method: 'POST', path: '/admin/budgets', handle: async (request) => ({ status: 201, body: await service.createBudget(validate(budgetCreateSchema, request.body ?? {})) }) },
    {
      method: 'GET',
      path: '/admin/budgets',
      handle: async (request) => {
        const scope = request.query.get('scope');
        return { body: { data: await service.listBudgets({ scope: scope ? validate(budgetScopeSchema, scope) : undefined, subject: request.query.get('subject') ?? undefined }) } };
      },
    },
    { method: 'GET', path: '/admin/budgets/:id/status', handle: async (request) => ({ body: await service.budgetStatus(request.params.id!, request.query.get('user') ?? undefined) }) },
    { method: 'PATCH', path: '/admin/budgets/:id', handle: async (request) => ({ body: await service.updateBudget(request.params.id!, validate(budgetUpdateSchema, request.body ?? {})) }) },
    { method: 'DELETE', path: '/admin/budgets/:id', handle: async (request) => ({ body: await service.deleteBudget(request.params.id!) }) },

    { method: 'GET', path: '/admin/usage', handle: async (request) => ({ body: await service.usage(validate(usageQuerySchema, queryObject(request))) }) },
  ];
}
