package org.mosaicpacs.dicom.net.internal;

/**
 * The DICOM Upper Layer protocol machine of PS3.8 9.2: its 13 states, 19 events and the state
 * transition table (Table 9-10), as data. {@link #fire(Event)} looks up the action for the
 * current state, moves to the action's next state and returns the action; the association
 * performs what the action says (send a PDU, start ARTIM, close the transport, ...). Not
 * thread-safe: the association serialises events under its own lock.
 */
public final class StateMachine {

    /** PS3.8 Tables 9-1 to 9-5. */
    public enum State {
        STA1("Idle"),
        STA2("Transport connection open (awaiting A-ASSOCIATE-RQ PDU)"),
        STA3("Awaiting local A-ASSOCIATE response primitive"),
        STA4("Awaiting transport connection opening to complete"),
        STA5("Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU"),
        STA6("Association established and ready for data transfer"),
        STA7("Awaiting A-RELEASE-RP PDU"),
        STA8("Awaiting local A-RELEASE response primitive"),
        STA9("Release collision requestor side; awaiting A-RELEASE response"),
        STA10("Release collision acceptor side; awaiting A-RELEASE-RP PDU"),
        STA11("Release collision requestor side; awaiting A-RELEASE-RP PDU"),
        STA12("Release collision acceptor side; awaiting A-RELEASE response primitive"),
        STA13("Awaiting transport connection close indication");

        private final String description;

        State(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return "Sta" + (ordinal() + 1) + " (" + description + ")";
        }
    }

    /** PS3.8 Table 9-10, the event column. */
    public enum Event {
        EVT1("A-ASSOCIATE request (local user)"),
        EVT2("Transport connect confirmation"),
        EVT3("A-ASSOCIATE-AC PDU received"),
        EVT4("A-ASSOCIATE-RJ PDU received"),
        EVT5("Transport connection indication"),
        EVT6("A-ASSOCIATE-RQ PDU received"),
        EVT7("A-ASSOCIATE response primitive (accept)"),
        EVT8("A-ASSOCIATE response primitive (reject)"),
        EVT9("P-DATA request primitive"),
        EVT10("P-DATA-TF PDU received"),
        EVT11("A-RELEASE request primitive"),
        EVT12("A-RELEASE-RQ PDU received"),
        EVT13("A-RELEASE-RP PDU received"),
        EVT14("A-RELEASE response primitive"),
        EVT15("A-ABORT request primitive"),
        EVT16("A-ABORT PDU received"),
        EVT17("Transport connection closed indication"),
        EVT18("ARTIM timer expired"),
        EVT19("Unrecognized or invalid PDU received");

        private final String description;

        Event(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return "Evt" + (ordinal() + 1) + " (" + description + ")";
        }
    }

    /** PS3.8 Tables 9-6 to 9-9, each with its next state (null where it depends on the situation). */
    public enum Action {
        AE_1(State.STA4), AE_2(State.STA5), AE_3(State.STA6), AE_4(State.STA1), AE_5(State.STA2),
        /** Next state Sta3 if the request is acceptable to the provider, else Sta13 (reject sent). */
        AE_6(null),
        AE_7(State.STA6), AE_8(State.STA13),
        DT_1(State.STA6), DT_2(State.STA6),
        AR_1(State.STA7), AR_2(State.STA8), AR_3(State.STA1), AR_4(State.STA13), AR_5(State.STA1),
        AR_6(State.STA7), AR_7(State.STA8),
        /** Next state Sta9 for the association-requestor, else Sta10. */
        AR_8(null),
        AR_9(State.STA11), AR_10(State.STA12),
        AA_1(State.STA13), AA_2(State.STA1), AA_3(State.STA1), AA_4(State.STA1), AA_5(State.STA1),
        AA_6(State.STA13), AA_7(State.STA13), AA_8(State.STA13);

        private final State next;

        Action(State next) {
            this.next = next;
        }

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    private static final Action[][] TABLE = new Action[Event.values().length][State.values().length];

    static {
        // Table 9-10, row by row. Received-PDU rows for Sta1 and Sta4 are empty: no transport yet.
        row(Event.EVT1, State.STA1, Action.AE_1);
        row(Event.EVT2, State.STA4, Action.AE_2);
        receivedPdu(Event.EVT3, Action.AA_1, Action.AA_8, Action.AA_6);
        TABLE[Event.EVT3.ordinal()][State.STA5.ordinal()] = Action.AE_3;
        receivedPdu(Event.EVT4, Action.AA_1, Action.AA_8, Action.AA_6);
        TABLE[Event.EVT4.ordinal()][State.STA5.ordinal()] = Action.AE_4;
        row(Event.EVT5, State.STA1, Action.AE_5);
        receivedPdu(Event.EVT6, Action.AE_6, Action.AA_8, Action.AA_7);
        row(Event.EVT7, State.STA3, Action.AE_7);
        row(Event.EVT8, State.STA3, Action.AE_8);
        row(Event.EVT9, State.STA6, Action.DT_1);
        row(Event.EVT9, State.STA8, Action.AR_7);
        receivedPdu(Event.EVT10, Action.AA_1, Action.AA_8, Action.AA_6);
        TABLE[Event.EVT10.ordinal()][State.STA6.ordinal()] = Action.DT_2;
        TABLE[Event.EVT10.ordinal()][State.STA7.ordinal()] = Action.AR_6;
        row(Event.EVT11, State.STA6, Action.AR_1);
        receivedPdu(Event.EVT12, Action.AA_1, Action.AA_8, Action.AA_6);
        TABLE[Event.EVT12.ordinal()][State.STA6.ordinal()] = Action.AR_2;
        TABLE[Event.EVT12.ordinal()][State.STA7.ordinal()] = Action.AR_8;
        receivedPdu(Event.EVT13, Action.AA_1, Action.AA_8, Action.AA_6);
        TABLE[Event.EVT13.ordinal()][State.STA7.ordinal()] = Action.AR_3;
        TABLE[Event.EVT13.ordinal()][State.STA10.ordinal()] = Action.AR_10;
        TABLE[Event.EVT13.ordinal()][State.STA11.ordinal()] = Action.AR_3;
        row(Event.EVT14, State.STA8, Action.AR_4);
        row(Event.EVT14, State.STA9, Action.AR_9);
        row(Event.EVT14, State.STA12, Action.AR_4);
        row(Event.EVT15, State.STA3, Action.AA_1);
        row(Event.EVT15, State.STA4, Action.AA_2);
        for (State s : range(State.STA5, State.STA12)) {
            row(Event.EVT15, s, Action.AA_1);
        }
        row(Event.EVT16, State.STA2, Action.AA_2);
        row(Event.EVT16, State.STA3, Action.AA_3);
        for (State s : range(State.STA5, State.STA12)) {
            row(Event.EVT16, s, Action.AA_3);
        }
        row(Event.EVT16, State.STA13, Action.AA_2);
        row(Event.EVT17, State.STA2, Action.AA_5);
        for (State s : range(State.STA3, State.STA12)) {
            row(Event.EVT17, s, Action.AA_4);
        }
        row(Event.EVT17, State.STA13, Action.AR_5);
        row(Event.EVT18, State.STA2, Action.AA_2);
        row(Event.EVT18, State.STA13, Action.AA_2);
        receivedPdu(Event.EVT19, Action.AA_1, Action.AA_8, Action.AA_7);
    }

    private static void row(Event e, State s, Action a) {
        TABLE[e.ordinal()][s.ordinal()] = a;
    }

    /** The common shape of a received-PDU row: Sta2, Sta3 and Sta5..Sta12, Sta13. */
    private static void receivedPdu(Event e, Action sta2, Action established, Action sta13) {
        row(e, State.STA2, sta2);
        row(e, State.STA3, established);
        for (State s : range(State.STA5, State.STA12)) {
            row(e, s, established);
        }
        row(e, State.STA13, sta13);
    }

    private static State[] range(State from, State to) {
        State[] all = State.values();
        State[] r = new State[to.ordinal() - from.ordinal() + 1];
        System.arraycopy(all, from.ordinal(), r, 0, r.length);
        return r;
    }

    /** The action Table 9-10 gives for an event in a state, or null where the table has no entry. */
    public static Action actionFor(State state, Event event) {
        return TABLE[event.ordinal()][state.ordinal()];
    }

    private final boolean requestor;
    private State state = State.STA1;

    /** @param requestor true on the association-requestor side (decides AR-8) */
    public StateMachine(boolean requestor) {
        this.requestor = requestor;
    }

    public State state() {
        return state;
    }

    /**
     * Fires an event: returns the action and moves to its next state. AE-6 stays in Sta2 until
     * the caller reports the provider's verdict with {@link #acceptableRequest(boolean)}.
     *
     * @throws IllegalStateException if the table has no entry for the event in this state
     *         (a local primitive issued at the wrong time)
     */
    public Action fire(Event event) {
        Action action = actionFor(state, event);
        if (action == null) {
            throw new IllegalStateException(event + " is not valid in " + state);
        }
        if (action == Action.AR_8) {
            state = requestor ? State.STA9 : State.STA10;
        } else if (action.next != null) {
            state = action.next;
        }
        return action;
    }

    /** Completes AE-6: Sta3 if the provider accepts the A-ASSOCIATE-RQ, Sta13 after its A-ASSOCIATE-RJ. */
    public void acceptableRequest(boolean acceptable) {
        if (state != State.STA2) {
            throw new IllegalStateException("AE-6 completion in " + state);
        }
        state = acceptable ? State.STA3 : State.STA13;
    }

    /** True in the states where P-DATA may be sent (Evt9 is valid: Sta6, Sta8). */
    public boolean maySendData() {
        return state == State.STA6 || state == State.STA8;
    }
}
