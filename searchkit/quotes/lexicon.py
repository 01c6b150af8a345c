"""The word lists attribution reads: reporting verbs, titles, roles and clause words.

Data only, kept apart from the rules that use them. Lists written as regular
expression alternations keep their order, which decides what a regex tries
first. To teach the rules a new reporting verb or title, add it here.
"""

from __future__ import annotations

__all__ = [
    "ADDRESSEE_CUES",
    "CUE_BASE",
    "CUE_IRREGULAR",
    "CUE_LEMMAS",
    "CUE_PARTICIPLE",
    "CUE_PAST",
    "CUE_PRESENT",
    "CUE_SPELLINGS",
    "DESCRIPTION_STOPS",
    "DETERMINERS",
    "ELISIONS",
    "FEMALE_ROLES",
    "FEMALE_TITLES",
    "GROUP_NOUNS",
    "HEADLINE_WORDS",
    "HONORIFICS",
    "INTERJECTIONS",
    "MALE_ROLES",
    "MALE_TITLES",
    "NAME_PARTICLES",
    "NOT_NAMES",
    "ORGANISATION_WORDS",
    "ROLES",
]


def _words(block: str) -> tuple[str, ...]:
    """Split a whitespace-separated word list written as a text block, keeping its order."""
    return tuple(block.split())


# --- reporting verbs ---------------------------------------------------------------

# Inflected forms. Bare "-s" forms that double as plural nouns ("claims",
# "calls", "points") and most base forms are left out on purpose.
CUE_PAST = _words(
    """
said told wrote added asked explained noted continued tweeted stated declared
replied responded argued insisted warned claimed recalled remarked admitted
acknowledged concluded observed suggested countered complained announced posted
reported predicted promised vowed pledged urged joked quipped boasted conceded
confirmed denied emphasised emphasized stressed asserted alleged contended
maintained mentioned testified commented described called recounted lamented
questioned cautioned demanded pleaded agreed hinted proclaimed snapped blasted
slammed criticised criticized praised reflected speculated advised assured informed
reiterated repeated interjected exclaimed shouted yelled chanted whispered wondered
mused retorted scoffed laughed sighed cried offered reasoned recommended opined
intoned thundered fumed raged gushed marveled marvelled bragged gloated concurred
revealed disclosed dubbed labeled labelled termed branded accused thanked apologized
apologised preached begged implored lectured teased mocked cheered texted emailed
pressed answered
"""
)
CUE_PRESENT = _words(
    """
says tells writes adds asks explains notes continues tweets declares replies
responds argues insists warns claims recalls admits acknowledges concludes observes
suggests complains announces predicts urges concedes confirms denies emphasizes
emphasises stresses asserts alleges contends maintains testifies recounts laments
cautions pleads agrees proclaims slams praises speculates advises assures informs
reiterates repeats exclaims shouts yells whispers wonders muses retorts scoffs sighs
cries recommends opines intones fumes gushes marvels brags gloats reveals discloses
accuses preaches begs mocks presses reads answers
"""
)
CUE_PARTICIPLE = _words(
    """
saying telling writing adding asking explaining noting continuing tweeting stating
declaring replying responding arguing insisting warning claiming recalling remarking
admitting acknowledging concluding observing suggesting countering complaining
announcing posting reporting predicting promising vowing pledging urging joking
quipping boasting conceding confirming denying emphasizing emphasising stressing
asserting alleging charging contending maintaining mentioning testifying commenting
describing calling recounting lamenting questioning cautioning demanding pleading
agreeing hinting proclaiming blasting slamming criticizing criticising praising
reflecting speculating advising assuring informing reiterating repeating exclaiming
shouting yelling chanting whispering wondering musing retorting scoffing offering
reasoning recommending opining accusing thanking preaching begging mocking cheering
pressing dubbing labeling labelling branding
"""
)
CUE_BASE = _words("say tell write ask add")
# The dictionary form of every reporting verb above, for the cue facet: "says",
# "saying" and "said" are all "say".  Regular forms are found by undoing their
# ending (searchkit.quotes.cues); the irregular ones are listed.
CUE_LEMMAS = frozenset(
    _words(
        """
accuse acknowledge add admit advise agree allege announce answer apologize argue ask
assert assure beg blast boast brag brand call caution chant charge cheer claim comment
complain concede conclude concur confirm contend continue counter criticize cry declare
demand deny describe disclose dub email emphasize exclaim explain fume gloat gush hint
implore inform insist interject intone joke label lament laugh lecture maintain marvel
mention mock muse note observe offer opine plead pledge post praise preach predict press
proclaim promise question quip rage read reason recall recommend recount reflect
reiterate remark repeat reply report respond retort reveal say scoff shout sigh slam snap
speculate state stress suggest tease tell term testify text thank thunder tweet urge vow
warn whisper wonder write yell
"""
    )
)
CUE_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write"}
# British spellings count with the American ones: one verb, one line in the facet.
CUE_SPELLINGS = {"apologise": "apologize", "criticise": "criticize", "emphasise": "emphasize"}
# Verbs whose object is the one spoken to or about: the name after "told" is the
# addressee ("…,” she told Kevin; told POLITICO), never an inverted speaker.
ADDRESSEE_CUES = frozenset(
    _words(
        """
told tells tell informed informs assured assures thanked urged urges accused accuses
lectured begged begs implored pressed presses teased mocked mocks praised praises
criticised criticized slammed slams blasted
"""
    )
)
# Verbs that name what they introduce ("called the plan “a disaster”"): a quote
# in a later sentence is not what they named ("a super PAC called Future45").
NAMING_CUES = frozenset(
    _words(
        """
called calls calling dubbed dubbing labeled labelled labeling labelling termed
branded branding described describes describing
"""
    )
)

# --- quote marks ------------------------------------------------------------------

# Words whose first letters an opening single mark stands for ("tell ‘em"), so
# the mark opens no quote.
ELISIONS = frozenset(_words("em til cause cos n bout round tis twas"))

# --- names and titles --------------------------------------------------------------

# Titles that precede a name and are not part of it; matched case-sensitively
# with an optional full stop (US style "Sen.", British style "Mr").
HONORIFICS = _words(
    """
Mr Mrs Ms Miss Mx Messrs Dr Prof Professor Sen Senator Rep Representative
Gov Governor Lt Gen General Col Colonel Capt Captain Sgt Adm Admiral Cmdr Maj
President Pres Vice Secretary Minister Premier Chancellor Prime Chairman
Chairwoman Chair Mayor Judge Justice Ambassador Commissioner Sheriff Speaker
Rev Reverend Father Rabbi Imam Sheikh Sir Dame Lord Lady Prince Princess
King Queen Emperor Pope Cardinal Bishop Deputy Attorney Detective Officer
Coach Madam Mme Mlle Herr Frau Senor Señor Sra Sr Jr Gen Atty Supt Insp Cllr
"""
)
MALE_TITLES = frozenset(_words("mr sir lord king prince father herr"))
FEMALE_TITLES = frozenset(_words("mrs ms miss dame lady queen princess madam mme"))
# Lower-case words inside a name: "Ursula von der Leyen", "Osama bin Laden".
NAME_PARTICLES = _words("de van von der den bin al el da di du del la le ibn dos das")

# Capitalised words that start sentences or clauses, never a speaker's name (with
# the German and French pronouns: speakers are English-only, a wrong name is worse).
NOT_NAMES = frozenset(
    _words(
        """
a an the but and or so yet as in on at by for from with of to into after before when
while if then this that these those there here it its he she they we i you his her
their our my your also still meanwhile however later earlier asked speaking
according during since until about over under despite although though because
whether what who whom which where why how one another some many most several few
other others all both each every no not just even only now today yesterday tonight
monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun
jul aug sep sept oct nov dec instead indeed finally first second third yes well oh
mr mrs ms dr sen rep gov president former neither nor either moreover furthermore
additionally likewise nevertheless nonetheless similarly regardless otherwise thus
hence therefore besides regarding concerning including following given
ich er sie wir je il elle ils elles nous vous
"""
    )
)

# Words never inside a name in title case: seen there, the "name" runs into a
# headline ("Guns Are", "FBI Just Made An").
HEADLINE_WORDS = frozenset(
    _words("are is was were been has have had does did just made into than says said tells told")
)
# Words that end an organisation's name: never who "he" or "she" stands for.
ORGANISATION_WORDS = frozenset(
    _words(
        """
university college school party committee association institute foundation council
center centre department agency company corporation inc corp news times post
"""
    )
)

# Words that open a line of dialogue before a comma but address nobody ("Oh, …",
# "Well, …", "Darling, …"): never a name in the vocative.
INTERJECTIONS = frozenset(
    _words(
        """
oh ah ha well come good dear hallo hello thank thanks please sir madam god heaven
heavens lord indeed look listen say see rather fancy right sure certainly really
quite darling honey nonsense hush stop wait bother goodbye good-bye
"""
    )
)

# --- descriptions of unnamed speakers ----------------------------------------------

DETERMINERS = _words(
    """
one another a an the some many most several few two three four five six
other others his her their its our each both all any
"""
)
# Words that end a description before it swallows the rest of the clause.
DESCRIPTION_STOPS = frozenset(
    _words(
        """
who whom which that is are was were be been has have had and or but to it he she
they not would will can could should may might also in on at of for from with by as
said says told than then when while if about into after before over what how why
where there this these those
"""
    )
)
# Bare plural nouns that name a group of unnamed sources.
GROUP_NOUNS = _words(
    """
officials analysts critics experts observers netizens residents witnesses
users commenters supporters opponents protesters protestors sources aides
lawmakers legislators activists scientists researchers economists
authorities police prosecutors investigators organizers organisers
diplomats voters people members democrats republicans conservatives
liberals advocates doctors teachers students workers parents leaders
"""
)

# --- roles -------------------------------------------------------------------------

# Role nouns that sit between a descriptor and a name: "campaign manager Robby Mook".
ROLES = _words(
    """
spokesman spokeswoman spokesperson governor senator candidate nominee manager
chairman chairwoman chair director secretary leader minister adviser advisor
aide strategist analyst professor president executive officer founder host
anchor columnist reporter correspondent editor economist lawyer attorney
pollster voter official member representative congressman congresswoman mayor
commissioner ambassador activist expert researcher scientist judge chief head
deputy writer author historian former supporter delegate organizer organiser
consultant operative commentator contributor staffer owner resident student
veteran pastor lawmaker legislator defector dissident blogger user fellow
partner coordinator superintendent sheriff prosecutor general colonel diplomat
ally constituent boss friend colleague rival counsel neighbor neighbour agent
moderator ceo cfo mp mep msp mla qc kc
speechwriter lobbyist journalist photographer producer filmmaker actor actress singer
rapper comedian musician artist coach player captain striker midfielder defender
goalkeeper teacher doctor nurse surgeon physician investor donor fundraiser treasurer
trustee chancellor premier envoy negotiator bishop priest rabbi imam cardinal
lieutenant sergeant detective inspector trooper officer
democrat republican independent
father mother brother sister son daughter husband wife uncle aunt nephew niece cousin
widow widower grandson granddaughter grandfather grandmother
"""
)
# Role words just before a name that say which pronoun fits it.
MALE_ROLES = frozenset(
    _words(
        """
congressman spokesman chairman councilman businessman anchorman assemblyman
father brother son husband uncle grandfather nephew boyfriend
"""
    )
)
FEMALE_ROLES = frozenset(
    _words(
        """
congresswoman spokeswoman chairwoman councilwoman businesswoman anchorwoman
assemblywoman mother sister daughter wife aunt grandmother niece girlfriend
actress
"""
    )
)
