interface NavigatorWithHints extends Navigator {
  userAgentData?: { mobile?: boolean };
}

/** True on phones and tablets, where PortOne's window leaves the page and comes back to `m_redirect_url`. */
export function isMobileBrowser(): boolean {
  if (typeof navigator === 'undefined') return false;
  const nav = navigator as NavigatorWithHints;
  return nav.userAgentData?.mobile ?? /Android|iPhone|iPad|iPod|Mobile/i.test(nav.userAgent);
}
