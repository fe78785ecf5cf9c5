/** The URL slug of a product page: "Classic Tee (Black)" → "classic-tee-black". */
export function slugify(name) {
  return String(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The path of a product page. */
export function productPath(product) {
  return `/products/${slugify(product.name)}-${product.id}`;
}
