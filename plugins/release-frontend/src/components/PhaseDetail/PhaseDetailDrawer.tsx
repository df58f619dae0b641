import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { ReactNode } from 'react';
import { PhaseConfigSection } from '../PhaseConfig';
import { phaseAction } from '../PipelineDrawing/phaseState';

const useStyles = makeStyles((theme: Theme) => ({
  paper: {
    width: 'min(720px, 100vw)',
    padding: theme.spacing(2, 3),
    boxSizing: 'border-box',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  section: {
    marginBottom: theme.spacing(3),
  },
  gates: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/** Props of {@link PhaseDetailDrawer}. */
export interface PhaseDetailDrawerProps {
  entityRef: string;
  /** The phase shown; the drawer is closed while undefined. */
  phase?: PipelinePhaseView;
  /** Every phase of the pipeline (for titles in the gates). */
  phases: PipelinePhaseView[];
  onClose: () => void;
  /**
   * Extra content below the configuration: the slot for the configuration
   * history of the phase (the change-set view's `ConfigVersions`).
   */
  configHistory?: (phase: PipelinePhaseView) => ReactNode;
}

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="overline" component="h3">
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

function Gates(props: {
  phase: PipelinePhaseView;
  titles: Map<string, string>;
}) {
  const { phase, titles } = props;
  const { gates } = phase;
  const classes = useStyles();
  const items = [
    `Requires: ${
      gates.requires
        ? `succeeded in ${titles.get(gates.requires) ?? gates.requires}`
        : 'nothing (first phase)'
    }`,
    `Approvals required: ${gates.approvalsRequired}${
      gates.approvalsRequired > 0 && !gates.allowSelfApproval
        ? ' (not by the requester)'
        : ''
    }`,
    `Auto-promote: ${gates.autoPromote ? 'yes' : 'no'}`,
    ...(gates.soakTime ? [`Soak time: ${gates.soakTime}`] : []),
    ...(gates.freezeWindows > 0
      ? [`Freeze windows: ${gates.freezeWindows}`]
      : []),
    `Provider: ${phase.providerType}`,
  ];
  return (
    <ul className={classes.gates}>
      {items.map(text => (
        <li key={text}>
          <Typography variant="body2">{text}</Typography>
        </li>
      ))}
    </ul>
  );
}

/**
 * The detail of one phase beside the pipeline: its gates and its
 * configuration (variables, database, sizing, secrets by name, with edit
 * where allowed), and below them the configuration history slot.
 */
export function PhaseDetailDrawer(props: PhaseDetailDrawerProps) {
  const { entityRef, phase, phases, onClose, configHistory } = props;
  const classes = useStyles();
  const titles = new Map(phases.map(p => [p.id, p.title]));
  return (
    <Drawer
      anchor="right"
      open={phase !== undefined}
      onClose={onClose}
      classes={{ paper: classes.paper }}
      PaperProps={{
        role: 'dialog',
        'aria-label': phase ? `Phase ${phase.title}` : undefined,
      }}
    >
      {phase && (
        <>
          <div className={classes.header}>
            <Typography variant="h5" component="h2">
              {phase.title}
            </Typography>
            <IconButton aria-label="Close" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </div>
          <Section title="Gates">
            <Gates phase={phase} titles={titles} />
          </Section>
          <Section title="Configuration">
            <PhaseConfigSection
              entityRef={entityRef}
              phaseId={phase.id}
              phaseTitle={phase.title}
              editAllowance={phaseAction(phase, 'editConfig')}
            />
          </Section>
          {/*
           * Slot: the configuration history of this phase. The change-set
           * view's ConfigVersions component mounts here through the
           * `configHistory` prop.
           */}
          {configHistory && (
            <Section title="Configuration history">
              <Box>{configHistory(phase)}</Box>
            </Section>
          )}
        </>
      )}
    </Drawer>
  );
}
