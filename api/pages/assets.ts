/**
 * The SSO landing's script (served from 'self', the one script of the pages): the session
 * arrives in the URL fragment, which never reaches a server; it moves it into the page's form,
 * drops it from the address bar and history, and posts it.
 */
export const SSO_LANDING_JS = `(() => {
  const form = document.getElementById('sso-landing');
  const params = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname);
  if (!form || (!params.get('session') && !params.get('error'))) return;
  for (const name of ['session', 'expiresAt', 'error']) form.elements[name].value = params.get(name) || '';
  form.submit();
})();
`;
