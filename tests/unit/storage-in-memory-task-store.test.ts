import { createInMemoryTaskStore } from "../support/in-memory-task-store.js";
import { describeTaskStoreContract } from "../support/task-store-contract.js";

describeTaskStoreContract("in-memory fake", () => Promise.resolve(createInMemoryTaskStore()));
