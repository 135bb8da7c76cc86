/** Values for the `{{token}}` placeholders of the templates. */
export type TemplateValues = Readonly<Record<string, string>>;

const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * Replaces every `{{token}}` with its value. An unknown token is an error, not an empty string:
 * a typo in a template must fail the scaffold's tests, never ship as broken code.
 */
export function renderTemplate(text: string, values: TemplateValues, file = 'template'): string {
  return text.replace(TOKEN, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${file}: unknown placeholder {{${key}}}`);
    return value;
  });
}
