// Read every tabular resource of a Data Package with the JavaScript datapackage/tableschema
// libraries: types cast, constraints and foreign keys resolved. Prints one JSON object
// {"rows": {resource: count}, "errors": {resource: message}}; exits 1 when anything failed.
// Usage: node check.js <folder with datapackage.json>
"use strict";
const path = require("path");
const { Package } = require("datapackage");

async function main(folder) {
  const report = { rows: {}, errors: {} };
  const pkg = await Package.load(path.join(folder, "datapackage.json"), { basePath: folder });
  if (!pkg.valid) {
    report.errors.datapackage = pkg.errors.map(String).join("; ");
  }
  for (const resource of pkg.resources) {
    if (!resource.tabular) continue;
    try {
      const rows = await resource.read({ keyed: true, relations: true });
      report.rows[resource.name] = rows.length;
    } catch (error) {
      const details = (error.errors || []).slice(0, 3).map(String);
      report.errors[resource.name] = [error.message, ...details].join("; ");
    }
  }
  process.stdout.write(JSON.stringify(report) + "\n");
  return Object.keys(report.errors).length ? 1 : 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
    process.exit(2);
  }
);
