// Type-checks are only proof if nothing overrides them: no `as`, no `!`,
// no `any`, no `@ts-` or eslint-disable comments.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "src/generated/", "node_modules/", "artifacts/"] },
  {
    files: ["src/**/*.ts"],
    linterOptions: { noInlineConfig: true },
    extends: [tseslint.configs.base],
    rules: {
      "@typescript-eslint/consistent-type-assertions": ["error", { assertionStyle: "never" }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
    },
  },
);
