/** Says the app runs against the built-in fakes; shown on every page in sandbox mode. */
export function SandboxBanner() {
  return (
    <div className="sandbox-banner" role="note">
      <strong>Sandbox:</strong> built-in Jira, GitHub and a scripted model — nothing leaves this
      machine. To use real services, see{" "}
      <span className="sandbox-banner__ref">README → Connect real services</span>.
    </div>
  );
}
