/**
 * Says the app runs against the built-in fakes; shown on every page in sandbox mode. An
 * `aside` landmark, so a screen reader user can find (or skip) it like the rest of the page.
 */
export function SandboxBanner() {
  return (
    <aside className="sandbox-banner" aria-label="Sandbox">
      <strong>Sandbox:</strong> built-in Jira, GitHub and a scripted model — nothing leaves this
      machine. To use real services, see{" "}
      <span className="sandbox-banner__ref">README → Connect real services</span>.
    </aside>
  );
}
