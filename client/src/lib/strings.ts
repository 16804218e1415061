/**
 * Every English string of the client lives here, so the interface can be translated in one
 * place. Template text (section titles, questions, guidance) is data and comes from the server.
 */
import type { Condition, Experience, Rating } from '@parley/shared/protocol/answers';
import type { CompareClass, DirectionClass } from '@parley/shared/reveal/directions';

export const strings = {
  appName: 'Parley',
  skipToContent: 'Skip to content',

  landing: {
    title: 'Talk it through before anything happens.',
    lead:
      'Parley is a private room for two partners to negotiate a scene or a dynamic. ' +
      'You each answer on your own device; nothing is shown until you both say you are ready.',
    points: [
      'No account. Your room lives behind a private link only the two of you hold.',
      'Hidden until both are ready, then revealed side by side.',
      'Pause, revisit or change an answer at any time. Delete the room whenever you like.',
    ],
    startHeading: 'Start a room',
  },

  create: {
    nameLabel: 'Your name',
    nameHelp: 'What your partner will see. A first name or nickname is plenty.',
    titleLabel: 'A title for this room (optional)',
    titleHelp: 'Only the two of you will see it. For example “Saturday” or “Our dynamic”.',
    modeLegend: 'How should answers be revealed?',
    modeFull: 'Everything, side by side',
    modeFullHelp: 'Both answers to every question are shown once you are both ready.',
    modeDiscreet: 'Discreet',
    modeDiscreetHelp:
      'Only what you both said yes to is shown, direction by direction, and choices you both made the same; everything else is counted, not listed, and nobody sees who said what. Written answers, each person’s hard limits and the safety answers are always shown. What no matching can hide: if you said yes and it is not shown as shared, your partner did not say yes.',
    submit: 'Create the room',
    submitting: 'Creating…',
    readyHeading: 'Your room is ready',
    inviteHeading: 'Invite your partner',
    inviteHelp:
      'Send this link to your partner in a private message. It works once: whoever opens it first joins as your partner.',
    qrAlt: 'QR code of the invite link',
    resumeHeading: 'Your own link back in',
    resumeWarning:
      'Keep this link safe. It is the only way back into this room from another device or browser. ' +
      'There is no account and no recovery: if it is lost, nobody (not even us) can restore it.',
    downloadResume: 'Download as a file',
    resumeFileName: 'parley-room-link.txt',
    resumeFileText: (url: string, title: string | null) =>
      `Parley — your private link back into ${title ? `“${title}”` : 'your room'}\n\n${url}\n\n` +
      'Anyone with this link can enter the room as you. Keep it private. It cannot be recovered if lost.\n',
    enterRoom: 'Enter the room',
    partnerHeading: 'Your partner',
    waitingForPartner: 'Your partner has not joined yet. This page shows it as soon as they do.',
    partnerJoined: (name: string) => `${name} has joined. The invite link is used up; you can both enter the room.`,
    inviteNotHere: 'The invite link is not kept in this browser. Open this page in the browser you created the room in.',
    noInviteHeading: 'This browser does not hold this room',
    noInviteBody: 'The room’s invite and your link back in are kept only in the browser that created it.',
    goneHeading: 'This room is no longer open',
    goneBody: 'It was deleted, or your link back in no longer opens it.',
  },

  notFound: {
    heading: 'There is no page at this address',
    body: 'The link may be mistyped or cut short. Room and invite links are long: check that the whole link was copied.',
  },

  join: {
    heading: 'You have been invited to a Parley room',
    lead:
      'Your partner would like to talk things through with you. You will each answer on your own; ' +
      'nothing is shown to either of you until you both mark a section ready.',
    nameLabel: 'Your name',
    nameHelp: 'What your partner will see.',
    submit: 'Join the room',
    submitting: 'Joining…',
    missingInvite:
      'This invite link looks incomplete. Ask your partner to send it again, whole.',
    inviteUsed:
      'This invite has already been used — each invite works only once. If that was you on another device, use your own resume link. Otherwise, ask your partner for a fresh room.',
    inviteNotFound:
      'We could not find a room for this invite. The link may be mistyped, or the room may have been deleted. Ask your partner to check the link.',
    roomFull: 'This room already has two people in it.',
    invitedBy: (name: string) => `${name} invites you`,
    invitedTo: (name: string, title: string) => `${name} invites you to “${title}”`,
    checking: 'Checking the invite…',
    usedHeading: 'This invite has already been used',
    notFoundHeading: 'This invite does not open a room',
    home: 'Go to the start page',
  },

  common: {
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Select the link and copy it by hand',
    close: 'Close',
    cancel: 'Cancel',
    save: 'Save',
    saved: 'Saved',
    you: 'You',
    partnerFallback: 'Your partner',
    loading: 'Opening your room…',
    loadingPage: 'Loading…',
    backHome: 'Go to the start page',
    retry: 'Try again',
    tryAgainLater: 'Something went wrong on our side. Please try again in a moment.',
    rateLimited: 'That was a lot of attempts in a short time. Please wait a minute and try again.',
    network: 'We could not reach Parley. Check your connection and try again.',
    badRequest: 'Something in the form is not accepted. Please check what you entered and try again.',
  },

  room: {
    reopenedBy: (name: string, round: number, when: string) => `${name} started a new round of this section (round ${round}), ${when}. Your answers are here to look at again.`,
    missingToken:
      'This browser does not hold the key to this room. Open your personal resume link (the one you saved when the room was made) to come back in.',
    unauthorized:
      'This link does not open a room. It may be incomplete, or the room may have been deleted.',
    forbidden: 'This browser is not allowed to open that part of the room.',
    deletedHeading: 'This room was deleted',
    deletedBody:
      'Everything in it — answers, notes, the agreement and its history — has been erased. Nothing can be brought back.',
    deletedByYou: 'You deleted this room. Everything in it has been erased.',
    sectionsNav: 'Sections',
    showSections: 'Sections',
    progress: (answered: number, total: number) => `${answered} of ${total} answered`,
    stateRevealed: 'revealed',
    stateReady: 'you are ready',
    round: (n: number) => `Round ${n}`,
    primerLink: 'Before you begin',
    inviteLink: 'Invite link',
    myLinkLink: 'My resume link',
    menuPause: 'Pause',
    menuDelete: 'Delete room',
    menu: 'Room',
    whyLabel: 'Why this matters',
    answersHidden:
      'Your answers here are private. Your partner sees them only after you have both marked this section ready.',
    clearAnswer: 'Clear',
    more: 'More',
    moreFor: (item: string) => `More for ${item}: experience, conditions, a note`,
    clearRating: 'Clear my rating',
    experienceLegend: 'Your experience',
    conditionsLegend: 'Only if…',
    noteLabel: 'A short note',
    giving: 'Giving',
    receiving: 'Receiving',
    scaleValue: (n: number) => `${n} of 5`,
    privateNotesHeading: 'Private notes',
    privateNotesHelp: 'Only you ever see these — they are never revealed or exported.',
    privateNotesLabel: (section: string) => `Private notes for ${section}`,
    sharedNotesHeading: 'Shared notes',
    sharedNotesHelp: 'You both can type here at the same time. Your partner sees this as you type.',
    sharedNotesLabel: 'Shared notes',
    partnerCursor: (name: string) => `${name}’s cursor`,
    prevSection: 'Previous section',
    nextSection: 'Next section',
    debriefPromptsHeading: 'Questions to reflect on',
    editAfterReveal: 'Change answers in the whole form',
    editAfterRevealHelp:
      'You can still change your mind. Your partner sees a change straight away, marked as changed after the reveal.',
    agreementSectionNote: 'The agreement is built from the sections you have revealed.',
  },

  fill: {
    toolsLabel: 'Ways through this section',
    onlyUnanswered: 'Show only unanswered',
    toReady: 'Go to the ready button',
    showingUnanswered: (shown: number, total: number) => `Showing ${shown} unanswered of ${total}. Items you answer now stay in view.`,
    // visibly "Jump", named "Jump to a category"
    jump: 'Jump',
    jumpRest: 'to a category',
    skip: 'Skip this category',
    unskip: 'Show it again',
    skipped: (unanswered: number) =>
      unanswered === 1 ? 'Skipped: 1 item left unanswered.' : `Skipped: ${unanswered} items left unanswered.`,
    skippedKept: (answered: number) => (answered === 1 ? ' Your 1 answer here stays as it is.' : ` Your ${answered} answers here stay as they are.`),
    skippedShort: 'skipped',
    allAnsweredHere: 'Nothing left unanswered here.',
  },

  ready: {
    heading: 'Ready to reveal?',
    explain: 'This section is revealed when you have both marked it ready. You can change your mind until then.',
    markReady: 'Mark this section ready',
    markNotReady: 'I’m not ready after all',
    you: 'You',
    isReady: 'ready',
    notYet: 'not yet',
    failed: 'That did not go through. Please try again.',
  },

  presence: {
    alone: 'Your partner has not joined yet',
    online: 'online',
    offline: 'away',
    unknown: 'not known while you are offline',
    on: (section: string) => `on ${section}`,
    paused: 'paused',
    lastSeen: (when: string) => `last here ${when}`,
    summary: (name: string, parts: string[]) => `${name}: ${parts.join(' · ')}`,
  },

  connection: {
    online: 'Connected',
    reconnecting: 'Reconnecting…',
    offline: 'Offline — your answers are kept on this device and sync when you are back',
    label: 'Connection',
  },

  reveal: {
    heading: (section: string) => `${section} — revealed`,
    lead: (when: string) => `Revealed ${when}.`,
    reminderHeading: 'Before you move on',
    filterLegend: 'Show',
    filterAll: 'Everything',
    filterMatches: 'Matches',
    filterTalk: 'To talk about',
    itemColumn: 'Question',
    noAnswer: 'no answer',
    discreetHeading: 'A discreet reveal',
    discreetHonesty:
      'Only what you both said yes to, and choices you both made the same, are shown. What no matching can hide: if you said yes and it is not shown as shared, your partner did not say yes.',
    notShared: (n: number) => (n === 1 ? '1 item not shared' : `${n} items not shared`),
    notSharedHelp: 'Not shared means no match; it does not say who answered what.',
    limitsHeading: 'Hard limits',
    limitsHelp: 'A hard limit is a fact about one person. It is not up for negotiation.',
    yourLimits: 'Your hard limits',
    partnerLimits: (name: string) => `${name}’s hard limits`,
    noLimits: 'None in this section.',
    limitSide: (side: 'giving' | 'receiving' | null) => (side === null ? '' : side === 'giving' ? ' (giving)' : ' (receiving)'),
    talkPrompt: 'To talk about',
    changed: (name: string | null, when: string) =>
      name ? `changed after reveal by ${name}, ${when}` : `changed after reveal, ${when}`,
    emptyFilter: 'Nothing to show with this filter.',
    change: 'Change',
    changeDone: 'Done',
    changeWhat: (item: string) => `my answer to ${item}`,
    changeDoneWhat: (item: string) => `with my answer to ${item}`,
    unanswered: (n: number) => (n === 1 ? '1 item neither of you answered' : `${n} items neither of you answered`),
    reopen: 'Start a new round',
    reopenHelp:
      'Opens this section again. Your answers stay as they are for you to edit; this round is kept in the history.',
    reopenFailed: 'Could not start a new round. Please try again.',
    reopenDialogHeading: (title: string) => `Start a new round of ${title}?`,
    reopenDialogBody: (name: string) =>
      `The reveal closes for both of you and you both answer again; your answers stay for you to edit, and this round is kept in the history. ${name} is told that you reopened it.`,
    reopenNoteLabel: (name: string) => `Why, in a few words for ${name} (optional)`,
    reopenConfirm: 'Start the new round',
    historyHeading: 'Earlier rounds',
    historyRound: (round: number, revealed: string, closed: string) =>
      `Round ${round} — revealed ${revealed}, reopened ${closed}`,
    historyEmpty: 'This is the first round.',
    giving: 'giving',
    receiving: 'receiving',
    experience: 'Experience',
    conditions: 'Conditions',
  },

  match: {
    match: 'Match',
    pleasing: 'For each other',
    maybe: 'Maybe',
    difference: 'Difference',
    limit: 'Hard limit',
    explore: 'Explore',
    neither: 'Neither',
    unanswered: 'Not answered',
    same: 'Same',
    different: 'Different',
  } satisfies Record<DirectionClass | CompareClass, string>,

  /** One direction of an activity in plain words, naming people. */
  direction: {
    arrow: (giver: string, receiver: string) => `${giver} → ${receiver}`,
    give: (name: string | null, rating: string) => (name === null ? `you’d give ${rating}` : `${name} would give ${rating}`),
    receive: (name: string | null, rating: string) => (name === null ? `you’d receive ${rating}` : `${name} would receive ${rating}`),
    said: (name: string | null, rating: string) => (name === null ? `you said ${rating}` : `${name} said ${rating}`),
    noAnswer: (name: string | null) => (name === null ? 'you did not answer' : `${name} did not answer`),
    neither: 'neither of you wants this',
    nobody: 'neither of you answered',
    verdict: {
      match: 'a match',
      pleasing: 'both of you only for the other’s sake — not a match',
      maybe: 'a maybe',
      difference: 'a difference to talk about',
      limit: 'a hard limit',
      explore: 'both of you are tentative — worth exploring',
      neither: 'neither of you wants this',
      unanswered: 'not answered by both of you',
    } satisfies Record<DirectionClass, string>,
  },

  pause: {
    open: 'Pause the room',
    dialogHeading: 'Pause the room',
    dialogBody:
      'Pausing stops the conversation for both of you. Nothing is lost. Only you can resume it, whenever you are ready; your partner can ask you to.',
    noteLabel: 'A note for your partner (optional)',
    confirm: 'Pause now',
    screenHeading: 'The room is paused',
    pausedByYou: 'You paused the room.',
    pausedBy: (name: string) => `${name} paused the room.`,
    since: (when: string) => `Since ${when}.`,
    screenBody:
      'Take the time you need. Breathe, get some water, talk face to face or not at all. Nothing here is going anywhere.',
    resume: 'Resume the room',
    onlyPauser: (name: string) => `Only ${name} can resume the room. You can ask them to; there is no hurry.`,
    askToResume: (name: string) => `Ask ${name} to resume`,
    asked: (name: string) => `You asked ${name} to resume. They see it on their screen.`,
    partnerAsks: (name: string, when: string) => `${name} asked to resume, ${when}. Take the time you need.`,
    failed: 'That did not go through. Please try again.',
  },

  signals: {
    open: 'Signals',
    you: 'You',
    agreed: 'Your safewords and signals, as you both revealed them.',
    ownOnly: 'Your own safeword and signals. Your partner’s show here once Safety & signals is revealed.',
    none: 'None written yet.',
    goTo: (title: string) => `Open ${title}`,
  },

  del: {
    open: 'Delete this room',
    dialogHeading: 'Delete this room for both of you?',
    dialogBody:
      'This erases everything — both of your answers, notes, the agreement and its history — for you and your partner. It cannot be undone.',
    confirm: 'Delete everything',
    deleting: 'Deleting…',
    copyHeading: 'Keep a copy first?',
    copyHelp: 'The agreement as a file for you: what you both revealed and wrote together. Your unrevealed answers are not in it.',
    copy: 'Download a copy',
    copyDone: 'Downloaded — download again',
    failed: 'The room could not be deleted. Please try again.',
  },

  primer: {
    heading: 'Before you begin',
    dismiss: 'I’m ready to begin',
    close: 'Close',
  },

  links: {
    dialogTitle: 'Links to this room',
    inviteHeading: 'Invite link',
    inviteUnavailable:
      'The invite link is shown only in the browser that created the room. If you lost it, you can delete this room and start a new one.',
    partnerJoined: (name: string) => `${name} has joined — the invite link has been used.`,
    resumeHeading: 'Your resume link',
  },

  agreement: {
    heading: 'Your agreement',
    lead:
      'Built from the sections you have revealed, plus anything you both write below. It is confirmed only while nothing in it has changed.',
    summaryHeading: 'Summary',
    freeTextHeading: 'In our own words',
    freeTextHelp: 'You both can edit this. Any change here asks you both to confirm again.',
    freeTextLabel: 'Agreement text',
    nothingRevealed: 'Nothing has been revealed yet. Reveal some sections and the summary will appear here.',
    confirm: 'I confirm this agreement',
    confirmAgain: 'Confirm the current version',
    confirmedBy: (name: string, when: string) => `Confirmed by ${name}, ${when}`,
    confirmedByYou: (when: string) => `You confirmed this version, ${when}`,
    changedSinceYou: 'Changed since you confirmed',
    notConfirmedByYou: 'You have not confirmed it yet',
    changedSince: (name: string) => `Changed since ${name} confirmed`,
    notConfirmed: (name: string) => `Not confirmed by ${name} yet`,
    stale: 'The agreement changed a moment ago. Please read it again before confirming.',
    failed: 'That did not go through. Please try again.',
    reviewHeading: 'Review date',
    reviewHelp: 'When would you like to look at this together again?',
    reviewLabel: 'Review on',
    reviewSet: (date: string) => `You will review this on ${date}.`,
    reviewSave: 'Save date',
    reviewClear: 'Clear date',
    exportHeading: 'Keep a copy',
    exportMd: 'Download as Markdown',
    exportJson: 'Download as JSON',
    print: 'Print',
    exportFailed: 'The download did not work. Please try again.',
    fileBase: 'parley-agreement',
    building: 'Preparing the agreement…',
  },

  ratings: {
    favourite: 'Favourite',
    yes: 'Yes',
    yes_for_you: 'Yes, for you',
    curious: 'Curious',
    fantasy_only: 'Fantasy only',
    not_now: 'Not now',
    hard_limit: 'Hard limit',
    unsure: 'Unsure',
  } satisfies Record<Rating, string>,

  /** the chosen rating written beside its row of glyphs, where a phone has ~70 px for it */
  ratingsShort: {
    favourite: 'Favourite',
    yes: 'Yes',
    yes_for_you: 'For you',
    curious: 'Curious',
    fantasy_only: 'Fantasy',
    not_now: 'Not now',
    hard_limit: 'Hard limit',
    unsure: 'Unsure',
  } satisfies Record<Rating, string>,

  experience: {
    none: 'None',
    some: 'Some',
    lots: 'Lots',
  } satisfies Record<Experience, string>,

  conditions: {
    only_with_you: 'Only with you',
    check_in_first: 'Check in first',
    light_only: 'Light only',
    sober_only: 'Sober only',
    not_on_camera: 'Not on camera',
  } satisfies Record<Condition, string>,

  time: {
    justNow: 'just now',
  },

  workshop: {
    linksLabel: 'Workshops',
    landingLink: 'Running a workshop? Create a workshop for many pairs',
    joinLink: 'Joining a workshop? Enter the code',
    createHeading: 'Create a workshop',
    createLead:
      'Run a negotiation session for many pairs. You pace it and see each pair’s progress and presence — never anyone’s answers, notes or agreement.',
    titleLabel: 'Workshop title',
    titleHelp: 'Shown to every participant, for example “Negotiation basics, Tuesday”.',
    facilitatorLabel: 'Your name (facilitator)',
    facilitatorHelp: 'Shown on your dashboard and on your practice pair.',
    lockLabel: 'Keep sections locked until I open them',
    lockHelp: 'Pairs can read ahead and answer, but can only mark a section ready once you have unlocked it.',
    createSubmit: 'Create the workshop',
    creating: 'Creating…',
    // dashboard
    dashboardLoading: 'Opening your dashboard…',
    missingToken:
      'This browser does not hold the facilitator key for this workshop. Open the dashboard link you saved when you created it.',
    unauthorized: 'This dashboard link does not open a workshop. It may be incomplete.',
    dashboardLinkHeading: 'Your dashboard link',
    dashboardLinkWarning:
      'Keep this link private: it is the only way back to this dashboard. It never opens anyone’s answers.',
    joinCodeLabel: 'Join code',
    joinAt: (url: string) => `Go to ${url} and enter the code`,
    qrAlt: 'QR code of the join link',
    projector: 'Show join code large',
    projectorClose: 'Back to the dashboard',
    privacyNote: 'You see progress and presence only. Answers, notes and agreements stay with each pair.',
    pairsHeading: (n: number) => (n === 1 ? '1 pair' : `${n} pairs`),
    noPairs: 'No one has joined yet. Show the join code; pairs appear here as they arrive.',
    sortLabel: 'Sort pairs by',
    sortArrival: 'Arrival',
    sortName: 'Name',
    sortProgress: 'Progress',
    sortHands: 'Raised hands first',
    colPair: 'Pair',
    colHand: 'Hand',
    handRaised: 'Hand raised',
    lowerHandShort: 'Lower',
    lowerHandOf: (names: string) => `Lower the hand of ${names}`,
    waitingPartner: 'waiting for a partner',
    confirmingPartner: 'confirming a partner',
    online: 'online',
    away: 'away',
    onSection: (title: string) => `on ${title}`,
    practiceTag: 'practice',
    cellOpen: 'open',
    cellPartlyReady: 'partly ready',
    cellRevealed: 'revealed',
    cellRound: (n: number) => `round ${n}`,
    cellLocked: 'locked',
    pacingHeading: 'Pacing',
    unlockHeading: 'Sections',
    unlock: (title: string) => `Unlock ${title}`,
    unlocked: 'unlocked',
    unlockAllNote: 'Pairs can mark a section ready once it is unlocked.',
    notLocking: 'Sections are not locked in this workshop: pairs move at their own pace.',
    timerHeading: 'Timer',
    timerMinutes: 'Minutes',
    timerStart: 'Start timer',
    timerStop: 'Stop timer',
    timerNone: 'No timer running.',
    broadcastHeading: 'Message to every pair',
    broadcastLabel: 'Message',
    broadcastSend: 'Send to all pairs',
    broadcastLast: (when: string) => `Last sent ${when}:`,
    pairHeading: 'Suggest partners for people who arrived alone',
    pairHelp:
      'Both must be waiting for a partner. Each is asked on their own screen and both must confirm; only then does the second person move into the first one’s room, with their own answers.',
    pairFirst: 'Suggest',
    pairSecond: 'as partner for',
    pairSubmit: 'Suggest the pairing',
    pairSuggested: 'Suggested. Both are asked to confirm on their own screens.',
    pairNone: 'Nobody is waiting alone.',
    practiceHeading: 'Practice pair',
    practiceHelp:
      'Opens a room with a scripted demo partner whose answers are made up. Show the flow on the projector without anyone’s real answers.',
    practiceOpen: 'Open a practice room',
    practiceOpened: 'Practice room ready:',
    practiceLink: 'Open the practice room in a new tab',
    endHeading: 'End the workshop',
    endHelp: 'Every pair keeps its room and can go on privately. The join code stops working.',
    end: 'End workshop',
    endConfirm: 'End the workshop for everyone? This cannot be undone.',
    ended: 'This workshop has ended. Every pair kept their room.',
    commandFailed: 'That did not go through. Please try again.',
    connection: { online: 'Live', offline: 'Reconnecting…' },
    timeLeft: (text: string) => `Time left: ${text}`,
    timeUp: 'Time is up',
    // participants
    joinHeading: 'Join a workshop',
    joinLead: 'Enter the code on the screen and your name. Then start a pair, or join your partner’s pair with their pair code.',
    codeLabel: 'Workshop code',
    codeHelp: '6 characters, shown by the facilitator.',
    nameLabel: 'Your name',
    nameHelp: 'Your partner and the facilitator see it.',
    modeLegend: 'Your pair',
    modeStart: 'Start a new pair',
    modeStartHelp: 'You get a short pair code to give your partner.',
    modeJoin: 'Join my partner’s pair',
    modeJoinHelp: 'Your partner started a pair and gave you its code.',
    pairCodeLabel: 'Pair code',
    pairCodeHelp: '4 characters, from your partner’s screen.',
    joinSubmit: 'Join',
    joining: 'Joining…',
    notFound: 'No running workshop has this code. Check the code on the screen.',
    pairNotFound: 'No pair in this workshop has this code. Check it with your partner.',
    pairFull: 'This pair already has two people, or is confirming someone right now. Check the code with your partner, or start a new pair.',
    pairStartedHeading: 'Your pair is ready',
    pairStartedLead: 'Give this code to your partner. They choose “Join my partner’s pair” and enter it, then you both confirm each other on your screens.',
    pairCode: 'Pair code',
    resumeHeading: 'Your own link back in',
    enterRoom: 'Enter the room',
    // room
    roomBarLabel: 'Workshop',
    inWorkshop: (title: string) => `Workshop: ${title}`,
    yourPairCode: (code: string) => `Pair code ${code}`,
    messageFrom: 'From the facilitator',
    raiseHand: 'Raise hand',
    lowerHand: 'Lower hand',
    handUp: 'The facilitator can see your hand is raised.',
    practiceBanner: 'Practice room: your partner here is a scripted demo. Its answers are made up.',
    lockedHeading: 'Not open yet',
    lockedBody: 'The facilitator will open this section. You can read it and answer already; marking it ready waits until then.',
    lockedTag: 'locked',
    lockedRefused: 'The facilitator has not opened this section yet.',
    // confirming a partner
    pairingLabel: 'Confirm your partner',
    pairingAskedByCode: (name: string) => `${name} wants to pair with you.`,
    pairingAskedByFacilitator: (name: string) => `The facilitator suggests ${name} as your partner.`,
    pairingCompare: (name: string) => `Look at ${name}’s screen together, in person or on your call. It should show the same three words:`,
    pairingWhy: 'Nothing of yours is shared until you both confirm. If the words differ, or you do not know this person, choose “Not my partner”.',
    pairingConfirm: 'This is my partner',
    pairingDecline: 'Not my partner',
    pairingWaiting: (name: string) => `You confirmed. Waiting for ${name} to confirm on their screen.`,
    pairingPartnerConfirmed: (name: string) => `${name} has confirmed.`,
    pairingFailed: 'That did not go through. Please try again.',
    aloneHeading: 'Waiting for your partner',
    aloneBody: 'You can answer already. Marking a section ready waits until your partner has joined and you have confirmed each other.',
  },
} as const;

/** A short, local date + time, e.g. “3 May, 14:05”. */
export function formatWhen(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  if (now - ms < 45_000 && now >= ms) return strings.time.justNow;
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A calendar date from `YYYY-MM-DD`, e.g. “12 June 2026”. */
export function formatDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}
