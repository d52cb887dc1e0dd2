/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
import { type AssignmentState, emptyAssignmentState, type OwnerAssignment } from '../../shared/domain/index';
import type { AssignmentCommit, AssignmentStore, UnattendedLead } from '../../shared/ports/AssignmentStore';

/** The AssignmentStore contract in memory: the state row's ETag, claims that exist once, as Table Storage does. */
export class InMemoryAssignmentStore implements AssignmentStore {
    state: AssignmentState = emptyAssignmentState();
    etag: string | undefined;
    readonly claims = new Map<string, OwnerAssignment>();
    readonly sticky = new Map<string, { personId: string; at: string }>();
    readonly unattended = new Map<string, UnattendedLead>();
    commits = 0;
    private version = 0;

    read: AssignmentStore['read'] = async (personKey) => {
        const sticky = personKey === undefined ? undefined : this.sticky.get(personKey);
        return {
            state: structuredClone(this.state),
            ...(this.etag === undefined ? {} : { etag: this.etag }),
            ...(sticky === undefined ? {} : { sticky }),
        };
    };

    claimOf: AssignmentStore['claimOf'] = async (leadId, round) => this.claims.get(`${leadId}_${round}`);

    commit: AssignmentStore['commit'] = async (c: AssignmentCommit) => {
        if (this.claims.has(`${c.leadId}_${c.round}`)) return 'claimed';
        if (c.etag !== this.etag) return 'conflict';
        this.state = structuredClone(c.state);
        this.etag = `v${++this.version}`;
        this.claims.set(`${c.leadId}_${c.round}`, c.assignment);
        if (c.personKey !== undefined && c.assignment.personId !== undefined)
            this.sticky.set(c.personKey, { personId: c.assignment.personId, at: c.assignment.at });
        this.commits++;
        return 'committed';
    };

    setOutOfOffice: AssignmentStore['setOutOfOffice'] = async (personId, away) => {
        const outOfOffice = { ...this.state.outOfOffice };
        if (away === undefined) delete outOfOffice[personId];
        else outOfOffice[personId] = away;
        this.state = { ...this.state, outOfOffice };
        this.etag = `v${++this.version}`;
        return structuredClone(this.state);
    };

    markUnattended: AssignmentStore['markUnattended'] = async (lead) => {
        this.unattended.set(lead.leadId, lead);
    };

    clearUnattended: AssignmentStore['clearUnattended'] = async (leadId) => {
        this.unattended.delete(leadId);
    };

    listUnattended: AssignmentStore['listUnattended'] = async (limit) => [...this.unattended.values()].slice(0, limit);
}
