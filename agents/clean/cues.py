"""Small, general phrase lists for boilerplate that shape alone cannot tell from prose.

Kept deliberately short: the scoring model in `lines.py` does most of the work with features; these
only name the recurring furniture of news pages (ads, share/newsletter prompts, teaser headers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cue:
    """A pattern searched for in a line, and words of which every line it matches holds one
    (lower case): most lines hold none, and a substring test costs a fraction of a regex
    search across the line."""

    pattern: re.Pattern[str]
    needs: tuple[str, ...] = ()

    def found(self, text: str, lowered: str) -> bool:
        """Whether the pattern occurs in `text` (`lowered` is `text.lower()`)."""
        if self.needs and not any(word in lowered for word in self.needs):
            return False
        return self.pattern.search(text) is not None

#: Headers after which a list of teasers (other articles) follows: the phrase opens the line.
TEASER_HEADER = re.compile(
    r"^(?:read (?:next|more|also)|related|more (?:from|on|stories|news|in|like this|to read)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy)|recommended|(?:most )?(?:popular|read|viewed|"
    r"shared)\b|trending|featured|other topics of interest|top stories|latest|editor'?s picks|"
    r"see also|also read|don'?t miss|what to read next|up next|more to explore|further reading|"
    r"in (?:other|related) news|around the web|sponsored|promoted|from our partners|"
    r"you may have missed|recent posts|more headlines)\b[^.!?]{0,60}$",
    re.IGNORECASE,
)
#: Headers of a comment section ("34 Comments", "Top rated comments", "Leave a reply").
COMMENTS_HEADER = re.compile(
    r"^[\W\d]*(?:\w+\s){0,3}(?:comments?|responses?|replies|reactions)\b[^.!?]{0,60}$|"
    r"^(?:leave a (?:comment|reply)|join the (?:conversation|discussion)|post a comment)\b",
    re.IGNORECASE,
)

#: Whole-line furniture: ads, prompts to share, subscribe, follow, accept cookies, navigate.
BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored|skip (?:to|ad)\b.*|share(?: this)?(?: article| "
    r"story| post| page)?|share (?:on|via|to) \w+|(?:tweet|email|print|copy link|pin it)\b.*|"
    r"(?:log ?in|sign ?in|sign ?up|subscribe|register)(?: now| today| here)?|"
    r"(?:click|tap) here\b.*|loading\.*|close|menu|search|home|back to top|"
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|instagram|youtube|email)|"
    r"show more(?: sharing options)?|continue reading\b.*|view (?:comments|gallery)\b.*|"
    r"table of contents|in this article|on this page|skip to (?:main )?content)"
    r"\s*[:.»>›!]*$",
    re.IGNORECASE,
)

#: Phrases that mark a line as furniture wherever they sit in it (short lines only).
BOILERPLATE_PHRASE = re.compile(
    r"\b(?:join us on|follow us on|follow (?:our|the) [\w ,'’-]{1,60}? on (?:the |our )?@\w|"
    r"follow @\w|sign up (?:for|to)|subscribe (?:to|for|now)|newsletters?\b|"
    r"(?:share|post) (?:this|on|via)\b|all rights reserved|copyright\b|©|\(c\) \d{4}|"
    r"terms (?:of|and) (?:use|service|conditions)|privacy policy|cookie|"
    r"to suggest a correction|corrections? (?:and|or) clarifications?|"
    r"(?:photo|image|picture|video|graphic)s?\s*(?:credit)?\s*:|credit:|getty images|"
    r"shutterstock|istock|file photo|reporting by|editing by|additional reporting|"
    r"(?:previous|next) (?:article|post|story)|tags?:|topics?:|filed under|categories:|"
    r"download (?:the|our) app|get (?:the|our) app|whatsapp channel|telegram channel|"
    r"(?:read|see) (?:more|also|next)\s*:|more info|min(?:ute)? read|"
    r"this (?:article|story) (?:was|has been|is) (?:originally |first )?(?:published|updated|"
    r"produced|amended)|we (?:use|may earn)|affiliate|sponsored (?:content|by|post))",
    re.IGNORECASE,
)

_SOCIAL = (r"(?:facebook|twitter|instagram|youtube|linkedin|tiktok|threads|bluesky|telegram|"
           r"whatsapp|x|flipboard|google news|apple news)\b")
#: "Follow Newsbeat on Instagram and YouTube", "Follow our coverage on the @outlet channel".
SOCIAL_PROMPT = re.compile(
    rf"^(?:please )?(?:follow|like|join|find|connect with)\b.{{0,80}}\b(?:on|via)\s+(?:the\s+)?"
    rf"{_SOCIAL}|^(?:follow|join)\b.{{0,80}}@\w",
    re.IGNORECASE,
)
#: "Get the day's headlines delivered to your inbox by subscribing to our newsletter."
NEWSLETTER_PROMPT = Cue(re.compile(
    r"\b(?:sign(?:ing)? up|subscrib(?:e|ing)|delivered to your inbox|register)\b.{0,80}"
    r"\bnewsletters?\b|\bnewsletters?\b.{0,60}\b(?:sign up|subscribe|inbox)\b",
    re.IGNORECASE,
), needs=("newsletter",))
#: An appeal for readers' money: "Enjoyed this piece? We need your help to keep publishing.",
#: "Support our journalism", "This story is funded by readers like you", "Become a patron".
SUPPORT_APPEAL = Cue(re.compile(
    r"^(?:enjoyed this (?:piece|article|post|story)\?|support (?:our|us)\b|support [\w’' ]{2,40}!|"
    r"(?:please )?(?:consider )?donate (?:now|today|here|via|to us|to support)\b|"
    r"become a (?:patron|supporter|paid subscriber)\b|this (?:story|article|work|journalism|"
    r"reporting) (?:is|was) (?:made possible|funded|supported) by (?:readers|donations|our "
    r"readers|members|people like you))|\bwe need your (?:help|support) to keep\b|"
    r"\byour (?:one-off|one-time|monthly) donations?\b|\bkept alive by (?:reader )?donations\b",
    re.IGNORECASE,
), needs=("enjoyed this", "support", "donat", "become a", "funded", "made possible",
          "we need your"))
#: "Reporting by Jane Doe; Editing by John Roe": the wire's credits line.
CREDITS = re.compile(
    r"^\(?(?:reporting|writing|editing|additional reporting|compiled|translated) by [A-Z]",
    re.IGNORECASE,
)
#: "Read more: <headline>", "[Related: <headline>]": a teaser link inside the body.
INLINE_TEASER = re.compile(
    r"^[\[(]?(?:read (?:more|next|also)|also read|see also|related(?: \w+)?|more)\s*:",
    re.IGNORECASE,
)

#: "We use cookies to improve your experience", "Manage consent": a cookie banner's text.
COOKIE_NOTICE = Cue(re.compile(
    r"\bcookies?\b.{0,120}\b(?:consent|accept|preferences|settings|experience)\b|"
    r"\b(?:we use|this (?:web)?site uses|uses) cookies\b|^(?:manage consent|accept all|"
    r"reject all|cookie settings)$",
    re.IGNORECASE,
), needs=("cookie", "consent", "accept all", "reject all"))
#: A consent banner's own paragraphs, whatever their length: "This website uses cookies to
#: improve your experience while you navigate ...", "Necessary cookies are absolutely
#: essential ...", "Cookie Duration Description ..." (the cookie table of consent plugins).
COOKIE_CONSENT = re.compile(
    r"^(?:this (?:web)?site uses cookies|we use cookies|(?:strictly )?(?:necessary|essential|"
    r"functional|functionality|analytic(?:al|s)?|performance|advertisement|advertising|"
    r"marketing|targeting|preference|statistics|other uncategori[sz]ed) cookies (?:are|help|"
    r"ensure|include|allow|enable)\b|cookie\s+duration\s+description\b)",
    re.IGNORECASE,
)
#: A form's messages: "Thank you! Your submission has been received!", "Oops! Something went
#: wrong while submitting the form", "If you are a human, ignore this field".
FORM_MESSAGE = Cue(re.compile(
    r"^(?:thank you|thanks)[!.,]?\s*(?:for (?:signing up|subscribing|your submission)|"
    r"your submission has been received)|^oops!? something went wrong|^if you are a human|"
    r"^there was an error processing|already have this email|^please enter a valid email",
    re.IGNORECASE,
), needs=("thank", "oops", "human", "error", "email"))

#: A site's copyright notice ("© 2031 Courier Media", "Copyright Courier 2031").
COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b", re.IGNORECASE)

#: "jdoe42 says:", "Jane Doe wrote:": the head of a reader comment.
COMMENT_BYLINE = re.compile(r"^\S.{0,40}\s(?:says|said|wrote|writes|replied)\s*:$", re.IGNORECASE)

#: "Jane Doe is a senior reporter who covers ..." at the foot of an article.
AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s){1,4}(?:is|has been) (?:an?|the)\s(?:[\w-]+\s){0,4}(?:"
    r"reporter|writer|editor|correspondent|columnist|journalist|contributor|author|producer|"
    r"freelancer?|fellow|analyst|intern|host)s?\b",
)

#: A caption credit in brackets, "(Photo: Agency)", "[Jane Doe / Agency]".
BRACKETED = re.compile(r"^[(\[].*[)\]]$")
#: "« Previous post", "Next »", "< Back": navigation arrows.
ARROWS = re.compile(r"^[«‹<←]|[»›>→]$")
#: Tokens that look like links, handles or e-mail addresses.
LINKISH = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.\w\w|html?)\b|@\w{2,}", re.IGNORECASE)

#: Common function words of a few languages; their share tells running prose from labels.
_STOP_WORD_TEXT = """
a an the and or but if of to in on at by for with from as is are was were be been being it
its this that these those he she they we you i his her their our your not no so than then
there which who whom what when where how has have had do does did will would can could should
may might must also about after before into over under more most said says
le la les un une des du de et ou mais est sont dans sur pour par avec que qui il elle ils
el los las y en es por con para del al lo su se una como pero
der die das und oder ist sind ein eine mit auf für von zu im dem den nicht sich auch
il lo gli e di da per con su che non sono nel della una
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
