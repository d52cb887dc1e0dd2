/**
 * The owner the pipeline decided for a lead, and how one delivery sees it. Assignment (teams of owners, strategies,
 * SLA) decides `LeadDecision.owner`; the delivery hands each target the person's id in that target's system.
 */

/** Who should follow the lead up. */
export interface LeadOwner {
    /** The pipeline's own id for the person, the same in every target (e.g. `jana.novak`). */
    personId: string;
    /** Shown to people (Teams card, webhook payload, CRM notes); never used as a CRM id. */
    displayName: string;
    /**
     * Target name (a key of `targets` in the pipeline config) → the person's id in that target's system: a Dataverse
     * `systemuser` id (GUID), a Salesforce User or Queue id (`005…`/`00G…`), a HubSpot owner id. A target without an
     * entry keeps its own owner rules (assignment rules, the API user) and still shows the name.
     */
    targetIds?: Record<string, string>;
}

/** The owner as one target receives it: the person, and their id in this target when they have one. */
export interface DeliveryOwner {
    personId: string;
    displayName: string;
    /** The person's id in this target's system; absent when they have none there. */
    id?: string;
}

/** The owner for `target`, or undefined when the pipeline decided none. */
export function ownerForTarget(owner: LeadOwner | undefined, target: string): DeliveryOwner | undefined {
    if (owner === undefined) return undefined;
    const id = owner.targetIds?.[target];
    return {
        personId: owner.personId,
        displayName: owner.displayName,
        ...(id === undefined || id === '' ? {} : { id }),
    };
}
