// One module graph for the MLflow benchmark: the importer and the registry it writes to must
// share their classes (error checks), so both load through this one entry.
export { importMlflow } from '../src/lib/interop/mlflow';
export { openEventRegistry } from '../src/lib/registry';
