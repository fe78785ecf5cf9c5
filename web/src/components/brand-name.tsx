/** The product's mark and name, as the header and the sign-in pages show it. */
export function BrandName() {
  return (
    <>
      <span className="brand__mark" aria-hidden="true">
        ✚
      </span>
      Patchboard
    </>
  );
}
