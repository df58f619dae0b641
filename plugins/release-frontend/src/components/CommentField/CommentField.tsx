import TextField from '@material-ui/core/TextField';

/** The longest comment the API accepts (see the OpenAPI spec). */
export const MAX_COMMENT_LENGTH = 2000;

/**
 * The free-text field of the dialogs (a comment, a reason): multi-line,
 * full width, limited to what the API accepts.
 */
export function CommentField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  label?: string;
  helperText?: string;
  required?: boolean;
  /** One line (e.g. a configuration comment); default multi-line. */
  singleLine?: boolean;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label ?? 'Comment'}
      helperText={props.helperText}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required={props.required}
      fullWidth
      multiline={!props.singleLine}
      minRows={props.singleLine ? undefined : 2}
      margin="normal"
      inputProps={{ maxLength: MAX_COMMENT_LENGTH }}
    />
  );
}
