"""What the demo's witnesses write. Their concerns follow the seed inquiry's call and report: isolation of
older people, rural areas, homeless people, asylum seekers and migrants; digital exclusion; volunteering."""

MARGARET = {
    1: "In our village the lunch club, the library and the Sunday service all stopped in the same week. "
    "Several of our older neighbours live alone and do not use the internet, so public health advice reached "
    "them late or not at all.",
    2: "I set up a telephone tree with twelve volunteers. Each of us rings five neighbours twice a week and "
    "collects prescriptions and shopping for anyone self-isolating. Anyone who wants to join can ring me on "
    "01632 960123 or write to margaret.ellis@example.org.",
    4: "A phone call at the same time each week works better than ad hoc offers of help. Leaflets through the "
    "door did not work on their own: people wanted to hear a voice they knew.",
}

FORUM = {
    1: "Older people who relied on day centres have lost their main source of social contact. Carers are "
    "exhausted, and people with dementia have become more confused without their routines.",
    2: "We moved our befriending service onto the telephone within four days and trained forty new volunteers "
    "who came forward through the NHS volunteer scheme.",
    3: "Many of the people we support have no smartphone or broadband. We lent tablets with data, but the "
    "biggest barrier was confidence rather than equipment, so we paired each tablet with a digital champion.",
    4: "Share volunteer lists between organisations so that one isolated person is not phoned by five "
    "different groups while their neighbour is phoned by none.",
    5: "Every council should have a Cabinet lead for social isolation and volunteering during the crisis, and "
    "the Government should fund digital inclusion schemes for the long term.",
}

ANONYMOUS = {
    1: "People in asylum accommodation cannot afford mobile data, and with libraries closed they have no wifi. "
    "They cannot follow their children's schooling or speak to their families.",
    3: "Translated public health information arrived weeks after the English versions. We recorded voice notes "
    "in five languages and shared them through community WhatsApp groups.",
}

LATE = {
    2: "Our community hubs matched 3,000 volunteers to residents who were shielding. We kept a single list "
    "with the voluntary sector so that nobody was missed.",
    5: "Planning now for how the new volunteers can stay involved after the crisis, before their goodwill fades.",
}

OFF_TOPIC = {
    1: "Our company sells video doorbells at a discount for the over-70s; call us to order one today.",
}


def too_long(words: int) -> str:
    """An answer that runs well past the word limit, as a first draft sometimes does."""
    sentence = (
        "Our coffee caravan visits eleven villages a week and for many residents it is the only place they "
        "meet anyone outside their household. "
    )
    per = len(sentence.split())
    return (sentence * (words // per + 1)).strip()


CARAVAN_SHORT = {
    1: "Our coffee caravan visits eleven villages a week; for many residents it was the only place they met "
    "anyone. During lockdown we turned it into a doorstep delivery round and a friendly face at the window.",
}
