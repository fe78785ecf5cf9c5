import type { FakeIssueSeed } from "../fake-jira/index.js";
import { JIRA_PEOPLE as P } from "./personas.js";

/** The sample Jira project's key. */
export const SAMPLE_JIRA_PROJECT = "SHOP";

/** The sandbox's workflow: the transitions Patchboard moves tickets through. */
export const SAMPLE_TRANSITIONS = { onStart: "In Progress", onPr: "In Review" } as const;

function ago(days: number, hours = 0, now = Date.now()): string {
  return new Date(now - (days * 24 + hours) * 3_600_000).toISOString();
}

/**
 * The sample project's bugs, each caused by a real defect in the sample repository
 * (see `../sample-project`), except SHOP-156, which is a payment provider setting, and
 * SHOP-152, whose first fix is incomplete. Dates are relative to the first start, so
 * the board looks recent; they are then persisted with the rest of the Jira state.
 */
export function sampleTickets(now = Date.now()): FakeIssueSeed[] {
  return [
    {
      key: "SHOP-138",
      summary: "Order total goes negative when a gift coupon is worth more than the cart",
      priority: "Highest",
      status: "To Do",
      reporter: P.sam,
      assignee: null,
      labels: ["checkout", "coupons", "customer-reported"],
      created: ago(13, 4, now),
      updated: ago(12, 1, now),
      description: [
        "A customer applied the `GIFT20` coupon ($20.00 off) to an order of one Logo Mug ($12.00). Checkout showed a total of **-$8.00** and PayFlow rejected the charge with `amount_invalid`, so the customer could not order at all.",
        "",
        "### Steps to reproduce",
        "1. Add one Logo Mug ($12.00) to the cart.",
        "2. Apply coupon `GIFT20` (fixed, $20.00).",
        "3. Go to checkout.",
        "",
        "### Expected",
        "The discount is capped at the order value: the items are free and only tax/shipping are charged.",
        "",
        "### Actual",
        "Discount shows -$20.00, total -$8.00 (plus shipping), payment fails.",
      ].join("\n"),
      comments: [
        {
          author: P.nina,
          body: "Three more tickets in Zendesk today with the same coupon. Marketing is sending GIFT20 to the whole newsletter list on Friday.",
          created: ago(12, 1, now),
        },
      ],
    },
    {
      key: "SHOP-141",
      summary: "Free shipping not applied to orders of exactly $50.00",
      priority: "High",
      status: "To Do",
      reporter: P.pat,
      assignee: null,
      labels: ["shipping", "pricing"],
      created: ago(11, 2, now),
      updated: ago(11, 2, now),
      description: [
        "The site banner says *Free shipping on orders of $50 or more*, but a cart worth exactly $50.00 is still charged $4.99 shipping. $50.01 ships free.",
        "",
        "### Steps to reproduce",
        "1. Add items worth exactly $50.00 (e.g. two Crew Socks 3-packs at $25.00).",
        "2. Choose a US address.",
        "",
        "### Expected",
        "Shipping: $0.00.",
        "",
        "### Actual",
        "Shipping: $4.99.",
      ].join("\n"),
      comments: [],
    },
    {
      key: "SHOP-144",
      summary: "Adding the same product twice from the mobile app creates two cart lines",
      priority: "Medium",
      status: "In Progress",
      reporter: P.lena,
      assignee: P.raj,
      labels: ["cart", "mobile"],
      created: ago(9, 6, now),
      updated: ago(7, 3, now),
      description: [
        "On iOS and Android, tapping *Add to cart* twice on the same T-shirt shows two separate lines (quantity 1 each) instead of one line with quantity 2. On the website it works.",
        "",
        "The app sends SKUs in lower case (`tee-blk-m`), the website in upper case (`TEE-BLK-M`).",
        "",
        "### Expected",
        "One line, quantity 2, whatever the case of the SKU.",
        "",
        "### Actual",
        "Two lines; removing one removes both because removal does ignore case.",
      ].join("\n"),
      comments: [
        {
          author: P.raj,
          body: "Confirmed with the staging API. Not an app bug: the app has always sent lower-case SKUs.",
          created: ago(7, 3, now),
        },
      ],
    },
    {
      key: "SHOP-147",
      summary: 'Prices shown as "$10.1" and "$12" instead of "$10.10" and "$12.00"',
      priority: "Low",
      status: "To Do",
      reporter: P.nina,
      assignee: null,
      labels: ["ui", "pricing"],
      created: ago(8, 1, now),
      updated: ago(8, 1, now),
      description: [
        "Product cards and the cart drawer drop trailing zeros from prices. Looks broken and one customer asked whether $12 was a typo.",
        "",
        "| Product | Shown | Should be |",
        "| --- | --- | --- |",
        "| Logo Mug | $12 | $12.00 |",
        "| Sticker pack | $10.1 | $10.10 |",
        "",
        "Negative amounts (refunds in the order history) have the same problem: `-$2.5`.",
      ].join("\n"),
      comments: [],
    },
    {
      key: "SHOP-150",
      summary: "Sales tax is calculated on the price before the coupon discount",
      priority: "High",
      status: "To Do",
      reporter: P.pat,
      assignee: P.eve,
      labels: ["checkout", "tax", "finance"],
      created: ago(6, 5, now),
      updated: ago(5, 2, now),
      description: [
        "Finance noticed we over-collect sales tax on discounted orders. With a $80.00 cart and the SAVE25 coupon (25 % off) shipped to California, we charge tax on $80.00 ($5.80) instead of on $60.00 ($4.35).",
        "",
        "### Expected",
        "Tax is computed on the amount after discounts (shipping is not taxed).",
        "",
        "### Actual",
        "Tax is computed on the subtotal before discounts.",
      ].join("\n"),
      comments: [
        {
          author: P.lena,
          body: "This has been the case since coupons launched, so some refunds may be due. Finance will handle that; we need the code fixed first.",
          created: ago(5, 2, now),
        },
      ],
    },
    {
      key: "SHOP-152",
      summary: "Delivery estimate promises weekend deliveries",
      priority: "Medium",
      status: "To Do",
      reporter: P.sam,
      assignee: null,
      labels: ["delivery", "customer-reported"],
      created: ago(4, 7, now),
      updated: ago(3, 4, now),
      description: [
        "Checkout and the confirmation email show delivery dates on Saturdays. Our carrier does not deliver at weekends, so customers call support when nothing arrives.",
        "",
        "### Steps to reproduce",
        "1. Place an order on a Thursday morning with standard shipping (2 business days).",
        "",
        "### Expected",
        "Estimated delivery: the following Monday.",
        "",
        "### Actual",
        "Estimated delivery: Saturday.",
      ].join("\n"),
      comments: [
        {
          author: P.nina,
          body: "Possibly related: a customer who ordered on a Saturday was told Tuesday, but the warehouse only shipped on Monday and the parcel came on Wednesday.",
          created: ago(3, 4, now),
        },
      ],
    },
    {
      key: "SHOP-155",
      summary: 'Product URLs are mangled for names with accents ("cr-me-br-l-e-mug")',
      priority: "Low",
      status: "To Do",
      reporter: P.lena,
      assignee: null,
      labels: ["seo", "catalog"],
      created: ago(2, 9, now),
      updated: ago(2, 9, now),
      description: [
        "New autumn products have accented names and their URLs look broken, which SEO flagged:",
        "",
        "- Crème Brûlée Mug → `/products/cr-me-br-l-e-mug-311`",
        "- Piñata Socks → `/products/pi-ata-socks-318`",
        "",
        "### Expected",
        "`/products/creme-brulee-mug-311`, `/products/pinata-socks-318` (accents dropped, letters kept).",
      ].join("\n"),
      comments: [],
    },
    {
      key: "SHOP-156",
      summary: "Apple Pay button disappeared from checkout",
      priority: "High",
      status: "To Do",
      reporter: P.pat,
      assignee: null,
      labels: ["payments", "checkout"],
      created: ago(1, 3, now),
      updated: ago(0, 20, now),
      description: [
        "Since Monday the Apple Pay button is gone for everyone, on Safari and in the iOS app. Card and PayPal still show. Nothing was deployed on Monday.",
        "",
        "From the browser's network tab, PayFlow's capabilities response:",
        "",
        "```",
        '"apple_pay": { "status": "pending_verification", "reason": "domain_verification_expired", "domain": "shop.acme.example" }',
        "```",
        "",
        "Apple Pay was about 18 % of mobile checkouts last month, so this is costing us.",
      ].join("\n"),
      comments: [
        {
          author: P.raj,
          body: "Google Pay is still fine, so it is not the wallet code in general.",
          created: ago(0, 20, now),
        },
      ],
    },
  ];
}
