import { eventSiteOrigins, setEventSiteOrigins } from '../../db/queries/organizations';
import { forgetEventSites } from '../cors';
import { createRouter } from '../router';
import * as routes from './event-sites.routes';

export const eventSitesRouter = createRouter()
  .openapi(routes.getEventSites, async (c) =>
    c.json({ origins: await eventSiteOrigins(c.var.em, c.var.organizationId) }, 200),
  )
  .openapi(routes.putEventSites, async (c) => {
    const origins = [...new Set(c.req.valid('json').origins)];
    await setEventSiteOrigins(c.var.em, c.var.organizationId, origins);
    forgetEventSites();
    return c.json({ origins }, 200);
  });
