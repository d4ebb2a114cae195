package org.mosaicpacs.dicom.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.net.internal.StateMachine.Action;
import org.mosaicpacs.dicom.net.internal.StateMachine.Event;
import org.mosaicpacs.dicom.net.internal.StateMachine.State;

/** PS3.8 Table 9-10, checked cell by cell where it matters and as a whole by counting. */
class StateMachineTest {

    @Test
    void tableHasTheStandardsEntries() {
        int entries = 0;
        for (Event e : Event.values()) {
            for (State s : State.values()) {
                if (StateMachine.actionFor(s, e) != null) {
                    entries++;
                }
            }
        }
        // the non-empty cells of Table 9-10
        assertThat(entries).isEqualTo(123);
        assertThat(StateMachine.actionFor(State.STA4, Event.EVT16)).isNull();
        assertThat(StateMachine.actionFor(State.STA4, Event.EVT17)).isEqualTo(Action.AA_4);
        assertThat(StateMachine.actionFor(State.STA13, Event.EVT6)).isEqualTo(Action.AA_7);
        assertThat(StateMachine.actionFor(State.STA13, Event.EVT17)).isEqualTo(Action.AR_5);
        assertThat(StateMachine.actionFor(State.STA4, Event.EVT15)).isEqualTo(Action.AA_2);
        assertThat(StateMachine.actionFor(State.STA2, Event.EVT10)).isEqualTo(Action.AA_1);
        assertThat(StateMachine.actionFor(State.STA11, Event.EVT13)).isEqualTo(Action.AR_3);
        assertThat(StateMachine.actionFor(State.STA10, Event.EVT13)).isEqualTo(Action.AR_10);
        assertThat(StateMachine.actionFor(State.STA1, Event.EVT10)).isNull();
    }

    @Test
    void requestorAssociatesAndReleases() {
        StateMachine m = new StateMachine(true);
        assertThat(m.fire(Event.EVT1)).isEqualTo(Action.AE_1);
        assertThat(m.fire(Event.EVT2)).isEqualTo(Action.AE_2);
        assertThat(m.fire(Event.EVT3)).isEqualTo(Action.AE_3);
        assertThat(m.maySendData()).isTrue();
        assertThat(m.fire(Event.EVT11)).isEqualTo(Action.AR_1);
        assertThat(m.maySendData()).isFalse();
        assertThat(m.fire(Event.EVT10)).isEqualTo(Action.AR_6);
        assertThat(m.fire(Event.EVT13)).isEqualTo(Action.AR_3);
        assertThat(m.state()).isEqualTo(State.STA1);
    }

    @Test
    void releaseCollisionOnBothSides() {
        StateMachine requestor = new StateMachine(true);
        StateMachine acceptor = new StateMachine(false);
        requestor.fire(Event.EVT1);
        requestor.fire(Event.EVT2);
        requestor.fire(Event.EVT3);
        acceptor.fire(Event.EVT5);
        acceptor.fire(Event.EVT6);
        acceptor.acceptableRequest(true);
        acceptor.fire(Event.EVT7);
        // both send A-RELEASE-RQ at once
        requestor.fire(Event.EVT11);
        acceptor.fire(Event.EVT11);
        assertThat(requestor.fire(Event.EVT12)).isEqualTo(Action.AR_8);
        assertThat(requestor.state()).isEqualTo(State.STA9);
        assertThat(acceptor.fire(Event.EVT12)).isEqualTo(Action.AR_8);
        assertThat(acceptor.state()).isEqualTo(State.STA10);
        assertThat(requestor.fire(Event.EVT14)).isEqualTo(Action.AR_9);
        assertThat(requestor.state()).isEqualTo(State.STA11);
        assertThat(acceptor.fire(Event.EVT13)).isEqualTo(Action.AR_10);
        assertThat(acceptor.state()).isEqualTo(State.STA12);
        assertThat(acceptor.fire(Event.EVT14)).isEqualTo(Action.AR_4);
        assertThat(acceptor.state()).isEqualTo(State.STA13);
        assertThat(requestor.fire(Event.EVT13)).isEqualTo(Action.AR_3);
        assertThat(requestor.state()).isEqualTo(State.STA1);
        assertThat(acceptor.fire(Event.EVT17)).isEqualTo(Action.AR_5);
    }

    @Test
    void localPrimitivesAtTheWrongTimeAreRefused() {
        StateMachine m = new StateMachine(false);
        assertThatThrownBy(() -> m.fire(Event.EVT9)).isInstanceOf(IllegalStateException.class);
        m.fire(Event.EVT5);
        assertThat(m.fire(Event.EVT18)).isEqualTo(Action.AA_2);
    }
}
