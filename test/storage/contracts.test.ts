import { stateStoreContract } from './contracts/stateStore.contract.js';
import { caseStoreContract } from './contracts/caseStore.contract.js';
import { transcriptStoreContract } from './contracts/transcriptStore.contract.js';
import { feedbackStoreContract } from './contracts/feedbackStore.contract.js';
import { directLineStoreContract } from './contracts/directLineStore.contract.js';
import { coordinationContract } from './contracts/coordination.contract.js';
import { deskContract } from './contracts/desk.contract.js';
import { auditLogContract } from './contracts/auditLog.contract.js';
import { outcomeStoreContract } from './contracts/outcomeStore.contract.js';
import { reviewLabelStoreContract } from './contracts/reviewLabelStore.contract.js';
import { allBackends } from './allBackends.js';

/** Every store contract, run against every backend (STYLE 9: one suite per interface, no backend branches inside). */
for (const backend of allBackends()) {
  stateStoreContract(backend);
  caseStoreContract(backend);
  transcriptStoreContract(backend);
  feedbackStoreContract(backend);
  directLineStoreContract(backend);
  coordinationContract(backend);
  deskContract(backend);
  auditLogContract(backend);
  outcomeStoreContract(backend);
  reviewLabelStoreContract(backend);
}
