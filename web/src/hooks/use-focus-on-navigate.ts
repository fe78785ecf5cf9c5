import { useEffect, useRef, type RefObject } from "react";
import { useLocation } from "react-router";

/**
 * After a navigation inside the app (not the first page load), moves keyboard focus to the
 * new page, as a full page load would: to `main` at once, then to the page's h1 as soon
 * as it renders (a lazy page or its data may come a moment later). A screen reader then
 * reads the new page's title, and the next Tab starts in the page, not in the header.
 * Focus the person moved themselves in the meantime is left alone.
 */
export function useFocusOnNavigate(main: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const region = main.current;
    if (!region) return;
    region.focus();
    const toHeading = (): boolean => {
      const heading = region.querySelector("h1");
      if (!heading) return false;
      if (document.activeElement === region) {
        heading.tabIndex = -1;
        heading.focus();
      }
      return true;
    };
    if (toHeading()) return;
    const observer = new MutationObserver(() => {
      if (toHeading()) observer.disconnect();
    });
    observer.observe(region, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [pathname, main]);
}
