//! Closed vocabularies: each value has a stable key (stored, exported, used in
//! URLs) and a label in French and English.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:tt : $fr:literal / $en:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $key)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Fr) => $fr, ($name::$variant, Lang::En) => $en,)*
                }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }
    };
}

vocabulary!(
    /// What kind of government a partner is.
    PartnerKind {
        FederatedState = "federated_state": "État fédéré" / "Federated state",
        Region = "region": "Région" / "Region",
        Community = "community": "Communauté" / "Community",
        Municipality = "municipality": "Municipalité" / "Municipality",
        Agency = "agency": "Organisme public" / "Public agency",
        Legislature = "legislature": "Assemblée législative" / "Legislature",
    }
);

vocabulary!(
    /// World regions as the ministry groups its relations.
    WorldRegion {
        WesternEurope = "western_europe": "Europe de l’Ouest" / "Western Europe",
        EasternEurope = "eastern_europe": "Europe centrale et de l’Est" / "Central and Eastern Europe",
        NorthAmerica = "north_america": "Amérique du Nord" / "North America",
        CentralAmerica = "central_america": "Amérique centrale et Caraïbes" / "Central America and the Caribbean",
        SouthAmerica = "south_america": "Amérique du Sud" / "South America",
        Asia = "asia": "Asie" / "Asia",
        MiddleEast = "middle_east": "Moyen-Orient" / "Middle East",
        Africa = "africa": "Afrique" / "Africa",
        Oceania = "oceania": "Océanie" / "Oceania",
    }
);

vocabulary!(
    /// Categories of the home state's offices abroad.
    RepresentationKind {
        GeneralDelegation = "general_delegation": "Délégation générale" / "General delegation",
        Delegation = "delegation": "Délégation" / "Delegation",
        Bureau = "bureau": "Bureau" / "Office",
        TradeOffice = "trade_office": "Antenne" / "Trade office",
        Multilateral = "multilateral": "Représentation multilatérale" / "Multilateral representation",
    }
);

vocabulary!(
    /// Governmental or not.
    OrganizationKind {
        Intergovernmental = "intergovernmental": "Organisation intergouvernementale" / "Intergovernmental organization",
        NonGovernmental = "non_governmental": "Organisation non gouvernementale" / "Non-governmental organization",
        EuInstitution = "eu_institution": "Institution de l’Union européenne" / "European Union institution",
    }
);

vocabulary!(
    /// How the home state takes part in an organization.
    Participation {
        Member = "member": "Membre" / "Member",
        AssociateMember = "associate_member": "Membre associé" / "Associate member",
        Observer = "observer": "Observateur" / "Observer",
        CanadianDelegation = "canadian_delegation": "Au sein de la délégation canadienne" / "Within Canada’s delegation",
        Partner = "partner": "Partenaire" / "Partner",
        FollowUp = "follow_up": "Suivi politique" / "Political follow-up",
        Host = "host": "État hôte" / "Host state",
        None = "none": "Aucune" / "None",
    }
);

vocabulary!(
    /// Whether an organization is established in the home state.
    Presence {
        Headquarters = "headquarters": "Siège" / "Headquarters",
        Office = "office": "Bureau" / "Office",
        None = "none": "Aucune" / "None",
    }
);

vocabulary!(
    /// The families of instruments a treaty register keeps apart.
    AgreementKind {
        QuebecBilateral = "entente_bilateral": "Entente internationale bilatérale" / "Bilateral international agreement",
        QuebecMultilateral = "entente_multilateral": "Entente internationale multilatérale" / "Multilateral international agreement",
        CanadaTreaty = "canada_treaty": "Traité conclu par le Canada" / "Treaty concluded by Canada",
        NonBinding = "non_binding": "Engagement non contraignant" / "Non-binding commitment",
        OrganizationAgreement = "organization_agreement": "Entente avec une organisation internationale" / "Agreement with an international organization",
        Intergovernmental = "intergovernmental": "Entente intergouvernementale canadienne" / "Canadian intergovernmental agreement",
    }
);

vocabulary!(
    /// Where an instrument stands for the home state.
    AgreementStatus {
        Negotiation = "negotiation": "En négociation" / "Under negotiation",
        Signed = "signed": "Signé" / "Signed",
        InApproval = "in_approval": "En voie d’approbation" / "On the path to approval",
        Approved = "approved": "Approuvé" / "Approved",
        InForce = "in_force": "En vigueur" / "In force",
        NotInForce = "not_in_force": "Pas en vigueur" / "Not in force",
        Ended = "ended": "Terminé" / "Ended",
        Replaced = "replaced": "Remplacé" / "Replaced",
    }
);

vocabulary!(
    /// Where an instrument stands internationally.
    InternationalStatus {
        OpenForSignature = "open_for_signature": "Ouvert à la signature" / "Open for signature",
        NotInForce = "not_in_force": "Pas en vigueur" / "Not in force",
        InForce = "in_force": "En vigueur" / "In force",
        Ended = "ended": "Terminé" / "Ended",
    }
);

vocabulary!(
    /// A party's act on an instrument, kept distinct as treaty registers do.
    ActKind {
        Adoption = "adoption": "Adoption du texte" / "Adoption of the text",
        Signature = "signature": "Signature" / "Signature",
        Ratification = "ratification": "Ratification" / "Ratification",
        Acceptance = "acceptance": "Acceptation" / "Acceptance",
        Approval = "approval": "Approbation" / "Approval",
        Accession = "accession": "Adhésion" / "Accession",
        Succession = "succession": "Succession" / "Succession",
        DeclaredBound = "declared_bound": "Déclaration d’être lié" / "Declaration of being bound",
        EntryIntoForce = "entry_into_force": "Entrée en vigueur" / "Entry into force",
        Denunciation = "denunciation": "Dénonciation" / "Denunciation",
        ProvisionalApplication = "provisional_application": "Application provisoire" / "Provisional application",
        Termination = "termination": "Extinction" / "Termination",
    }
);

vocabulary!(
    /// How two instruments relate.
    RelationKind {
        ProtocolTo = "protocol_to": "Protocole à" / "Protocol to",
        Amends = "amends": "Modifie" / "Amends",
        Replaces = "replaces": "Remplace" / "Replaces",
        Implements = "implements": "Met en œuvre" / "Implements",
        Renews = "renews": "Renouvelle" / "Renews",
        Extends = "extends": "Prolonge" / "Extends",
        BuildsOn = "builds_on": "S’appuie sur" / "Builds on",
    }
);

impl RelationKind {
    /// The relation read from the other instrument: « Remplacé par » /
    /// "Replaced by" on the page of the instrument that was replaced.
    pub fn inverse_label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            RelationKind::ProtocolTo => ("A pour protocole", "Has as protocol"),
            RelationKind::Amends => ("Modifié par", "Amended by"),
            RelationKind::Replaces => ("Remplacé par", "Replaced by"),
            RelationKind::Implements => ("Mis en œuvre par", "Implemented by"),
            RelationKind::Renews => ("Renouvelé par", "Renewed by"),
            RelationKind::Extends => ("Prolongé par", "Extended by"),
            RelationKind::BuildsOn => ("Repris et développé par", "Built on by"),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

vocabulary!(
    /// What one instrument of an agreement is (the letters of an exchange,
    /// the notes of an exchange of notes, the signed text itself).
    InstrumentKind {
        SignedText = "signed_text": "Texte signé" / "Signed text",
        Letter = "letter": "Lettre" / "Letter",
        Note = "note": "Note diplomatique" / "Diplomatic note",
        Minutes = "minutes": "Procès-verbal" / "Minutes",
        Annex = "annex": "Annexe" / "Annex",
    }
);

vocabulary!(
    /// How an agreement is renewed at the end of its term.
    RenewalKind {
        Tacit = "tacit": "Reconduction tacite" / "Tacit renewal",
        Explicit = "explicit": "Renouvellement exprès" / "Explicit renewal",
        None = "none": "Sans renouvellement" / "No renewal",
    }
);

vocabulary!(
    /// The body that acts for a party: the government as a whole, one of
    /// its ministries, an agency, a legislature, a municipal council, an
    /// organ of an organization.
    BodyKind {
        Government = "government": "Gouvernement" / "Government",
        HeadOfState = "head_of_state": "Chef d’État" / "Head of state",
        Ministry = "ministry": "Ministère" / "Ministry",
        Agency = "agency": "Organisme public" / "Public agency",
        Legislature = "legislature": "Assemblée législative" / "Legislature",
        Municipal = "municipal": "Autorité municipale" / "Municipal authority",
        Organ = "organ": "Organe d’une organisation" / "Organ of an organization",
    }
);

vocabulary!(
    /// What kind of counterpart a party is, as treaty registers tell them
    /// apart: a sovereign state, a government below it, a public body, an
    /// organization, a grouping, or the home state itself.
    CounterpartKind {
        SovereignState = "sovereign_state": "État souverain" / "Sovereign state",
        FederatedState = "federated_state": "État fédéré" / "Federated state",
        Region = "region": "Région" / "Region",
        Community = "community": "Communauté" / "Community",
        Municipality = "municipality": "Municipalité" / "Municipality",
        Agency = "agency": "Organisme public" / "Public agency",
        Legislature = "legislature": "Assemblée législative" / "Legislature",
        Organization = "organization": "Organisation internationale" / "International organization",
        Grouping = "grouping": "Regroupement" / "Grouping",
        Home = "home": "État d’attache" / "Home state",
    }
);

impl From<PartnerKind> for CounterpartKind {
    fn from(k: PartnerKind) -> CounterpartKind {
        match k {
            PartnerKind::FederatedState => CounterpartKind::FederatedState,
            PartnerKind::Region => CounterpartKind::Region,
            PartnerKind::Community => CounterpartKind::Community,
            PartnerKind::Municipality => CounterpartKind::Municipality,
            PartnerKind::Agency => CounterpartKind::Agency,
            PartnerKind::Legislature => CounterpartKind::Legislature,
        }
    }
}

vocabulary!(
    /// A measure that implements an agreement in the home state, or
    /// publishes it.
    MeasureKind {
        Decree = "decree": "Décret" / "Order in council",
        Regulation = "regulation": "Règlement" / "Regulation",
        Act = "act": "Loi" / "Act",
        Publication = "publication": "Publication officielle" / "Official publication",
    }
);

vocabulary!(
    /// What an agreement obliges the home state to do.
    CommitmentKind {
        Report = "report": "Rapport à produire" / "Report to produce",
        JointCommittee = "joint_committee": "Réunion d’un comité mixte" / "Joint committee meeting",
        Renewal = "renewal": "Renouvellement" / "Renewal",
        Expiry = "expiry": "Échéance" / "Expiry",
        Other = "other": "Autre obligation" / "Other obligation",
    }
);

vocabulary!(
    /// The life of a position the home state prepares.
    PositionStatus {
        Draft = "draft": "Ébauche" / "Draft",
        Approved = "approved": "Approuvée" / "Approved",
        Transmitted = "transmitted": "Transmise" / "Transmitted",
    }
);

vocabulary!(
    /// Kinds of events.
    EventKind {
        Summit = "summit": "Sommet" / "Summit",
        Conference = "conference": "Conférence" / "Conference",
        Forum = "forum": "Forum multilatéral" / "Multilateral forum",
        Mission = "mission": "Mission" / "Mission",
        Meeting = "meeting": "Réunion" / "Meeting",
        Signing = "signing": "Signature" / "Signing",
        Vote = "vote": "Vote" / "Vote",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_parse_back() {
        for v in WorldRegion::ALL {
            assert_eq!(WorldRegion::parse(v.as_str()), Some(*v));
            assert!(!v.label(Lang::Fr).is_empty() && !v.label(Lang::En).is_empty());
        }
        let json = serde_json::to_string(&AgreementKind::CanadaTreaty).unwrap();
        assert_eq!(json, "\"canada_treaty\"");
    }
}

vocabulary!(
    /// Kinds of activities desk officers prepare and follow.
    ActivityKind {
        Mission = "mission": "Mission" / "Mission",
        Meeting = "meeting": "Rencontre" / "Meeting",
        Visit = "visit": "Visite d’une délégation" / "Visit of a delegation",
        Call = "call": "Appel" / "Call",
        Conference = "conference": "Conférence" / "Conference",
        JointCommittee = "joint_committee": "Comité mixte" / "Joint committee",
    }
);

vocabulary!(
    /// Where an activity stands.
    ActivityStatus {
        Planned = "planned": "Prévue" / "Planned",
        Held = "held": "Tenue" / "Held",
        Cancelled = "cancelled": "Annulée" / "Cancelled",
    }
);

vocabulary!(
    /// Where a follow-up stands.
    FollowUpState {
        Open = "open": "À faire" / "To do",
        InProgress = "in_progress": "En cours" / "In progress",
        Done = "done": "Terminé" / "Done",
        Cancelled = "cancelled": "Annulé" / "Cancelled",
    }
);
