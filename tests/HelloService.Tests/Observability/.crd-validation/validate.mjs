// Validates the Prometheus Operator objects in a multi-document YAML stream (stdin, e.g. the
// output of `kubectl kustomize k8s/observability`) against the Operator's CRD schemas, as
// published in @kubernetes-models/prometheus-operator. Prints one line per object; exit 1 on
// the first invalid object, exit 2 when the stream holds no Operator object at all.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import * as v1 from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const documents = yaml.loadAll(readFileSync(0, "utf8")).filter((d) => d && typeof d === "object");
let checked = 0;
for (const document of documents) {
  if (document.apiVersion !== "monitoring.coreos.com/v1") continue;
  const Model = v1[document.kind];
  if (typeof Model !== "function") {
    console.error(`no model for ${document.apiVersion} ${document.kind}`);
    process.exit(1);
  }
  try {
    new Model(document).validate();
  } catch (error) {
    console.error(`${document.kind} ${document.metadata?.name}: ${error.message}`);
    process.exit(1);
  }
  console.log(`valid ${document.kind} ${document.metadata?.name}`);
  checked++;
}
if (checked === 0) {
  console.error("no monitoring.coreos.com/v1 object in the input");
  process.exit(2);
}
