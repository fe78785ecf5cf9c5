import type { Script } from "../scripted-model/index.js";
import { fallbackScript } from "./fallback-script.js";
import { scenarioScript, type Pacing, type Scenario } from "./scenario-kit.js";
import { shop138 } from "./scenarios/shop-138-coupon-negative.js";
import { shop141 } from "./scenarios/shop-141-free-shipping.js";
import { shop144 } from "./scenarios/shop-144-cart-sku-case.js";
import { shop147 } from "./scenarios/shop-147-money-format.js";
import { shop150 } from "./scenarios/shop-150-tax-after-discount.js";
import { shop152 } from "./scenarios/shop-152-weekend-delivery.js";
import { shop155 } from "./scenarios/shop-155-accented-slugs.js";
import { shop156 } from "./scenarios/shop-156-apple-pay.js";
import { reviewScript } from "./review-script.js";

/** Every sample ticket's scenario, in ticket order. */
export const SCENARIOS: readonly Scenario[] = [
  shop138,
  shop141,
  shop144,
  shop147,
  shop150,
  shop152,
  shop155,
  shop156,
];

/** The default pause before each scripted step: slow enough to follow, quick enough to wait for. */
export const DEFAULT_STEP_DELAY_MS = 2000;

/** The scripted model's scripts: one per sample ticket, then the fallback for everything else. */
export function sandboxScripts(pacing: Pacing): Script[] {
  return [
    ...SCENARIOS.map((s) => scenarioScript(s, pacing)),
    reviewScript(pacing),
    fallbackScript(pacing),
  ];
}
